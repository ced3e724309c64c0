import { availableParallelism } from "node:os";
import path from "node:path";
import { z } from "zod";

/**
 * The operator's knobs for isolated processes, read once from the environment. A bad value is an
 * error naming the variable, like the rest of the hub's configuration.
 */
export type ProcessSettings = {
  /** Processes one person may have at once; the least recently used idle one makes room. */
  maxPerUser: number;
  /** Processes the hub runs at once, for everyone. */
  maxTotal: number;
  /** Idle time before a process is stopped, when its server sets no idleTimeoutMs. */
  defaultIdleMs: number;
  /** Memory limit per process (cgroup memory, or address space with prlimit). */
  memoryMb: number;
  /** Tasks (processes and threads) per process with the cgroup pids controller. */
  maxTasks: number;
  /** Open files per process (prlimit). */
  maxFiles: number;
  /** "auto": every layer that works here; "off": plain child processes (a warning says so). */
  sandbox: "auto" | "off";
  /** Extra folders the sandbox shows read-only (colon-separated absolute paths). */
  readOnlyPaths: string[];
  /** Where the person folders live: $MCPHUB_DATA_DIR/homes. */
  homesDir: string;
  /** First uid/gid handed to people when the hub runs as root. */
  firstUid: number;
  /** Processes starting at once; more wait their turn (a burst of first calls must not starve the hub). */
  maxStarting: number;
};

const int = (name: string, fallback: number, min: number, max: number) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .int({ error: `${name} must be a whole number` })
    .min(min, { error: `${name} must be at least ${min}` })
    .max(max, { error: `${name} may be at most ${max}` })
    .default(fallback);

const schema = z.object({
  MCPHUB_MAX_PROCESSES_PER_USER: int("MCPHUB_MAX_PROCESSES_PER_USER", 10, 1, 1_000),
  MCPHUB_MAX_PROCESSES: int("MCPHUB_MAX_PROCESSES", 200, 1, 10_000),
  MCPHUB_PROCESS_IDLE_MS: int("MCPHUB_PROCESS_IDLE_MS", 10 * 60_000, 1_000, 86_400_000),
  MCPHUB_PROCESS_MEMORY_MB: int("MCPHUB_PROCESS_MEMORY_MB", 512, 32, 65_536),
  MCPHUB_PROCESS_MAX_TASKS: int("MCPHUB_PROCESS_MAX_TASKS", 256, 8, 100_000),
  MCPHUB_PROCESS_MAX_FILES: int("MCPHUB_PROCESS_MAX_FILES", 1_024, 64, 1_048_576),
  MCPHUB_SANDBOX: z.enum(["auto", "off"], { error: "MCPHUB_SANDBOX must be auto or off" }).default("auto"),
  MCPHUB_SANDBOX_READONLY_PATHS: z.string().default(""),
  MCPHUB_PROCESS_START_CONCURRENCY: int(
    "MCPHUB_PROCESS_START_CONCURRENCY",
    Math.max(2, availableParallelism()),
    1,
    1_000,
  ),
  MCPHUB_SANDBOX_FIRST_UID: int("MCPHUB_SANDBOX_FIRST_UID", 200_000, 1_000, 2_000_000_000),
});

export function readProcessSettings(env: NodeJS.ProcessEnv = process.env): ProcessSettings {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== "")));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Isolated processes: ${issue?.message ?? "a setting is invalid"}`);
  }
  const values = parsed.data;
  const readOnlyPaths = values.MCPHUB_SANDBOX_READONLY_PATHS.split(":").filter(Boolean);
  const relative = readOnlyPaths.find((p) => !path.isAbsolute(p));
  if (relative) throw new Error(`MCPHUB_SANDBOX_READONLY_PATHS holds ${relative}: use absolute paths`);
  return {
    maxPerUser: values.MCPHUB_MAX_PROCESSES_PER_USER,
    maxTotal: values.MCPHUB_MAX_PROCESSES,
    defaultIdleMs: values.MCPHUB_PROCESS_IDLE_MS,
    memoryMb: values.MCPHUB_PROCESS_MEMORY_MB,
    maxTasks: values.MCPHUB_PROCESS_MAX_TASKS,
    maxFiles: values.MCPHUB_PROCESS_MAX_FILES,
    sandbox: values.MCPHUB_SANDBOX,
    readOnlyPaths,
    homesDir: path.resolve(env.MCPHUB_DATA_DIR || "./data", "homes"),
    firstUid: values.MCPHUB_SANDBOX_FIRST_UID,
    maxStarting: values.MCPHUB_PROCESS_START_CONCURRENCY,
  };
}
