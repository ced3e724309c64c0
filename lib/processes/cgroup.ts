import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
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
    remove: () => {
      for (const dir of [memory, pids]) {
        try {
          rmdirSync(dir);
        } catch {
          // still has members, or already gone
        }
      }
    },
  };
}
