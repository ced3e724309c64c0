import { spawnSync } from "node:child_process";
import { accessSync, constants, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { logger } from "@/lib/logger";
import type { ProcessSettings } from "./settings";

/** One protection around isolated processes, whether it works on this machine, and why. */
export type SandboxLayer = {
  name: "uid" | "namespaces" | "limits" | "cgroup";
  active: boolean;
  detail: string;
};

/** What detection found: the layers, plus what the command builder needs to use them. */
export type SandboxEnvironment = {
  layers: SandboxLayer[];
  root: boolean;
  bwrap?: string;
  setpriv?: string;
  prlimit?: string;
  /** coreutils' nice: processes run at a lower priority than the hub itself. */
  nice?: string;
  /** cgroup v1 folders (the hub's own) under which each process gets a child, when writable. */
  cgroups?: { memory: string; pids: string };
  /**
   * One cgroup v1 cpu folder every isolated process joins: together they weigh PROCESSES_CPU_SHARES
   * against the hub's 1024, so a hundred people starting processes at once cannot starve the hub
   * (nice alone does not do it: a hundred processes at nice 10 outweigh one at nice 0 tenfold).
   */
  cpuGroup?: string;
};

/** The CPU weight all isolated processes share, against 1024 for the hub (and any nice-0 task). */
export const PROCESSES_CPU_SHARES = 256;

/** An executable by name on PATH (or the usual system folders), without a shell. */
export function findExecutable(name: string, envPath = process.env.PATH ?? ""): string | undefined {
  for (const dir of [...envPath.split(":"), "/usr/bin", "/bin", "/usr/sbin", "/sbin"]) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The hub's own cgroup v1 folder for a controller, if a child folder can be made in it. */
function writableCgroup(controller: "memory" | "pids" | "cpu"): string | undefined {
  try {
    const line = readFileSync("/proc/self/cgroup", "utf8")
      .split("\n")
      .find((l) => l.split(":")[1]?.split(",").includes(controller));
    const own = line?.split(":")[2];
    if (own === undefined) return undefined;
    const dir = path.join("/sys/fs/cgroup", controller, own);
    const probe = path.join(dir, `mcphub-probe-${process.pid}`);
    mkdirSync(probe);
    rmdirSync(probe);
    return dir;
  } catch {
    return undefined;
  }
}

/** The shared cpu cgroup of isolated processes (made once, under the hub's own), if it can be made. */
function sharedCpuGroup(): string | undefined {
  const parent = writableCgroup("cpu");
  if (!parent) return undefined;
  try {
    const dir = path.join(parent, "mcphub-processes");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "cpu.shares"), String(PROCESSES_CPU_SHARES));
    return dir;
  } catch {
    return undefined;
  }
}

/** Whether bubblewrap can really make the namespaces here (containers often forbid it). */
function bwrapWorks(bwrap: string, root: boolean): string | undefined {
  const args = [
    ...(root ? [] : ["--unshare-user"]),
    "--unshare-pid",
    "--unshare-ipc",
    "--die-with-parent",
    "--ro-bind",
    "/",
    "/",
    "--proc",
    "/proc",
    "--",
    "/bin/true",
  ];
  const result = spawnSync(bwrap, args, { timeout: 5_000, encoding: "utf8" });
  if (result.status === 0) return undefined;
  return (result.stderr || result.error?.message || `exit ${result.status}`).trim().split("\n")[0];
}

/** Looks at the machine once: which layers can run. Pure observation, no side effects left. */
export function detectSandbox(settings: ProcessSettings): SandboxEnvironment {
  const root = process.getuid?.() === 0;
  const uid = process.getuid?.() ?? -1;
  if (settings.sandbox === "off") {
    const off = "MCPHUB_SANDBOX=off: plain child processes";
    return {
      root,
      layers: (["uid", "namespaces", "limits", "cgroup"] as const).map((name) => ({
        name,
        active: false,
        detail: off,
      })),
    };
  }
  const env: SandboxEnvironment = { root, layers: [] };
  const setpriv = findExecutable("setpriv");
  if (root && setpriv) {
    env.setpriv = setpriv;
    env.layers.push({
      name: "uid",
      active: true,
      detail: `a uid/gid of its own per person from ${settings.firstUid} (setpriv, no capabilities, no new privileges)`,
    });
  } else {
    env.layers.push({
      name: "uid",
      active: false,
      detail: root
        ? "setpriv (util-linux) is not installed: every process runs as root"
        : `the hub runs as uid ${uid}, so every person's process runs as that same user; run it as root to give each person a uid`,
    });
  }

  const bwrap = findExecutable("bwrap");
  const bwrapProblem = bwrap ? bwrapWorks(bwrap, root) : "bubblewrap (bwrap) is not installed";
  if (bwrap && !bwrapProblem) {
    env.bwrap = bwrap;
    env.layers.push({
      name: "namespaces",
      active: true,
      detail:
        "bubblewrap: own mount, PID and IPC namespaces; system folders and node_modules read-only, only the person's folder writable",
    });
  } else {
    env.layers.push({
      name: "namespaces",
      active: false,
      detail: `no filesystem or PID namespace: ${bwrapProblem}`,
    });
  }

  const memory = root ? writableCgroup("memory") : undefined;
  const pids = root ? writableCgroup("pids") : undefined;
  if (memory && pids) {
    env.cgroups = { memory, pids };
    env.layers.push({
      name: "cgroup",
      active: true,
      detail: `cgroup v1: memory ${settings.memoryMb} MB and ${settings.maxTasks} tasks per process`,
    });
  } else {
    env.layers.push({
      name: "cgroup",
      active: false,
      detail: root
        ? "no writable cgroup v1 memory and pids controllers: prlimit's address-space limit stands in"
        : "cgroups need root",
    });
  }

  env.cpuGroup = env.cgroups ? sharedCpuGroup() : undefined;
  const prlimit = findExecutable("prlimit");
  env.nice = findExecutable("nice");
  if (prlimit) {
    env.prlimit = prlimit;
    env.layers.push({
      name: "limits",
      active: true,
      detail: `prlimit: ${settings.maxFiles} open files, ${settings.maxTasks} processes per uid${
        env.cgroups ? "" : `, ${addressSpaceMb(settings)} MB address space`
      }${env.nice ? "; nice 10 (the hub keeps priority)" : ""}${
        env.cpuGroup
          ? `; all processes share one CPU weight (cpu.shares ${PROCESSES_CPU_SHARES}, the hub 1024)`
          : ""
      }`,
    });
  } else {
    env.layers.push({ name: "limits", active: false, detail: "prlimit (util-linux) is not installed" });
  }
  return env;
}

/** V8 reserves far more address space than it uses; the limit is a backstop, not a budget. */
export function addressSpaceMb(settings: Pick<ProcessSettings, "memoryMb">): number {
  return Math.max(4_096, settings.memoryMb * 4);
}

const holder = globalThis as typeof globalThis & { __mcphubSandbox?: SandboxEnvironment };

/** Detects once per hub process and logs every missing layer once, as a warning. */
export function getSandbox(settings: ProcessSettings): SandboxEnvironment {
  if (!holder.__mcphubSandbox) {
    const env = detectSandbox(settings);
    for (const layer of env.layers) {
      if (layer.active)
        logger.info({ layer: layer.name, detail: layer.detail }, "isolated processes: sandbox layer active");
      else
        logger.warn(
          { layer: layer.name, detail: layer.detail },
          "isolated processes: sandbox layer unavailable, running without it",
        );
    }
    holder.__mcphubSandbox = env;
  }
  return holder.__mcphubSandbox;
}
