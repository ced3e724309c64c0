import { mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * A process's own cgroup v1 folders (memory and pids), children of the hub's own cgroup so the
 * machine's accounting still includes them. Removed again once the process is gone.
 */
export type ProcessCgroups = { dirs: string[]; remove: () => void; pids: () => number[] };

export function createProcessCgroups(
  parents: { memory: string; pids: string },
  name: string,
  limits: { memoryMb: number; maxTasks: number },
): ProcessCgroups {
  const memory = path.join(parents.memory, name);
  const pids = path.join(parents.pids, name);
  mkdirSync(memory, { recursive: true });
  mkdirSync(pids, { recursive: true });
  writeFileSync(path.join(memory, "memory.limit_in_bytes"), String(limits.memoryMb * 1024 * 1024));
  writeFileSync(path.join(pids, "pids.max"), String(limits.maxTasks));
  const members = () => {
    try {
      return readFileSync(path.join(pids, "cgroup.procs"), "utf8").split("\n").filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  return {
    dirs: [memory, pids],
    pids: members,
    // The leader's exit can come before its namespace's last members are gone: retry a few times.
    remove: () => removeWhenEmpty([memory, pids]),
  };
}

function removeWhenEmpty(dirs: string[], attempt = 0): void {
  const left = dirs.filter((dir) => {
    try {
      rmdirSync(dir);
      return false;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code !== "ENOENT";
    }
  });
  if (left.length > 0 && attempt < 10) setTimeout(() => removeWhenEmpty(left, attempt + 1), 200).unref();
}

/**
 * Removes empty process cgroups a previous hub left behind (killed before it could clean up).
 * Only folders older than a minute: another hub sharing the parent may be about to use a new one,
 * and rmdir refuses any cgroup that still has members.
 */
export function sweepStaleCgroups(parents: { memory: string; pids: string }): void {
  const cutoff = Date.now() - 60_000;
  for (const parent of [parents.memory, parents.pids]) {
    let names: string[] = [];
    try {
      names = readdirSync(parent).filter((name) => /^mcphub-p[0-9a-f]+$/.test(name));
    } catch {
      continue;
    }
    for (const name of names) {
      const dir = path.join(parent, name);
      try {
        if (statSync(dir).mtimeMs < cutoff) rmdirSync(dir);
      } catch {
        // in use, or gone
      }
    }
  }
}
