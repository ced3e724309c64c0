import { readdirSync, readFileSync } from "node:fs";

/** Parent pid of a process from /proc/<pid>/stat (the field after the parenthesised name). */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[1]);
  } catch {
    return undefined;
  }
}

/** A process and all its descendants, read from /proc (the host's view, across PID namespaces). */
export function processTree(root: number): number[] {
  let children = new Map<number, number[]>();
  try {
    children = new Map();
    for (const entry of readdirSync("/proc")) {
      const pid = Number(entry);
      if (!Number.isInteger(pid)) continue;
      const parent = parentOf(pid);
      if (parent === undefined) continue;
      const list = children.get(parent) ?? [];
      list.push(pid);
      children.set(parent, list);
    }
  } catch {
    return [root];
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** Resident memory of a process tree in bytes (VmRSS of each member), or null when it is gone. */
export function treeRssBytes(root: number): number | null {
  let total = 0;
  let found = false;
  for (const pid of processTree(root)) {
    try {
      const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (match) total += Number(match[1]) * 1024;
      found = true;
    } catch {
      // exited meanwhile
    }
  }
  return found ? total : null;
}

/** Sends a signal to a whole process group; false when nothing was left to signal. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}
