import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { ARTIFACTS_DIR, usingPostgres } from "./env";
import { createScratchDatabase } from "./postgres";

/**
 * A hub process of a test's own, on the production build (`next start`), for what the shared test
 * hub cannot show: a first run without an admin, restarts, several instances on one database.
 * It gets a fresh embedded data folder, or a scratch PostgreSQL database in the PostgreSQL pass.
 */
export type SpawnedHub = {
  url: string;
  port: number;
  /** The `next start` process (its memory is the hub's). */
  pid: number;
  /** Every line the server printed so far (stdout and stderr). */
  log: () => string[];
  /** Waits for a pino JSON log line that `match` accepts and returns it parsed. */
  waitForLogEntry: (match: (entry: LogEntry) => boolean, timeoutMs?: number) => Promise<LogEntry>;
  /** Stops the process tree and drops the scratch database or data folder. */
  stop: () => Promise<void>;
};

export type LogEntry = Record<string, unknown> & { msg?: string; level?: number };

export type SpawnHubOptions = {
  /** Environment on top of the hub's defaults; the bootstrap admin variables are never inherited. */
  env?: Record<string, string>;
  /** A name for the data folder and log file under tests/.artifacts/spawned-hubs. */
  label?: string;
  /**
   * A PostgreSQL database this hub shares with other instances (the caller creates and drops it,
   * and passes the same AUTH_SECRET and MCPHUB_SECRET_KEY to each in `env`).
   */
  databaseUrl?: string;
  /** Milliseconds to wait for /api/health. */
  startTimeoutMs?: number;
  /** Listen on this port (a test's own range) instead of a free one from the shared range. */
  port?: number;
};

const PORT_RANGE = { first: 3400, last: 3489 } as const; // 3490-3499 is left for fixtures like the OIDC provider
const SPAWNED_DIR = path.join(ARTIFACTS_DIR, "spawned-hubs");

// Variables of the test runner's own environment that would change what the spawned hub is.
const NOT_INHERITED = [/^MCPHUB_/, /^AUTH_/, /^DATABASE_URL$/, /^PORT$/, /^HOSTNAME$/, /^NODE_OPTIONS$/];

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "0.0.0.0", exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function findFreePort(exclude: Set<number>): Promise<number> {
  const size = PORT_RANGE.last - PORT_RANGE.first + 1;
  const start = randomInt(size);
  for (let i = 0; i < size; i++) {
    const port = PORT_RANGE.first + ((start + i) % size);
    if (!exclude.has(port) && (await isPortFree(port))) return port;
  }
  throw new Error(`No free port in ${PORT_RANGE.first}-${PORT_RANGE.last} for a spawned hub`);
}

function parseEntry(line: string): LogEntry | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    return JSON.parse(line) as LogEntry;
  } catch {
    return undefined;
  }
}

/** Ends the whole process group (next start may fork workers), forcefully after a grace period. */
async function killTree(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), name);
    } catch {
      // already gone
    }
  };
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
  signal("SIGKILL"); // anything the leader left behind in its group
}

export async function spawnHub(options: SpawnHubOptions = {}): Promise<SpawnedHub> {
  const label = `${options.label ?? "hub"}-${randomBytes(4).toString("hex")}`;
  const dataDir = path.join(SPAWNED_DIR, label);
  mkdirSync(dataDir, { recursive: true });
  const scratch =
    usingPostgres && !options.databaseUrl
      ? await createScratchDatabase(label.replace(/\W/g, "_"))
      : undefined;

  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !NOT_INHERITED.some((pattern) => pattern.test(name))),
  );
  const databaseEnv: Record<string, string> = options.databaseUrl
    ? { DATABASE_URL: options.databaseUrl }
    : scratch
      ? {
          DATABASE_URL: scratch.url,
          AUTH_SECRET: randomBytes(32).toString("base64"),
          MCPHUB_SECRET_KEY: randomBytes(32).toString("base64"),
        }
      : {};

  const tried = new Set<number>();
  const lines: string[] = [];
  const listeners = new Set<() => void>();
  let child: ChildProcess | undefined;
  let port = 0;
  try {
    // Another worker may take the port between the check and the listen: then try another one.
    for (let attempt = 0; attempt < (options.port ? 1 : 5) && !child; attempt++) {
      port = options.port ?? (await findFreePort(tried));
      tried.add(port);
      lines.length = 0;
      const candidate = spawn(
        process.execPath,
        ["node_modules/next/dist/bin/next", "start", "-p", String(port)],
        {
          detached: true, // its own process group, so stop() reaches every descendant
          stdio: ["ignore", "pipe", "pipe"],
          env: {
            ...inherited,
            NODE_ENV: "production",
            PORT: String(port),
            MCPHUB_DATA_DIR: dataDir,
            MCPHUB_PUBLIC_URL: `http://localhost:${port}`,
            ...databaseEnv,
            ...options.env,
          },
        },
      );
      let pending = "";
      const collect = (chunk: Buffer) => {
        pending += chunk.toString("utf8");
        const complete = pending.split("\n");
        pending = complete.pop() ?? "";
        lines.push(...complete.filter((line) => line.length > 0));
        for (const listener of listeners) listener();
      };
      candidate.stdout?.on("data", collect);
      candidate.stderr?.on("data", collect);
      const started = await waitForHealth(candidate, port, lines, options.startTimeoutMs ?? 60_000);
      if (started === "ready") child = candidate;
      else if (started === "port-taken") await killTree(candidate);
    }
    if (!child) throw new Error(`A spawned hub found no free port after ${tried.size} tries`);
  } catch (error) {
    writeFileSync(path.join(SPAWNED_DIR, `${label}.log`), lines.join("\n"));
    await scratch?.drop();
    throw error;
  }

  const running = child;
  const url = `http://localhost:${port}`;
  return {
    url,
    port,
    pid: running.pid as number,
    log: () => [...lines],
    waitForLogEntry(match, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          for (const line of lines) {
            const entry = parseEntry(line);
            if (entry && match(entry)) {
              finish();
              resolve(entry);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(
            new Error(`No matching log entry within ${timeoutMs} ms. The hub printed:\n${lines.join("\n")}`),
          );
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    async stop() {
      await killTree(running);
      // The log stays beside the other artifacts for whoever reads a failure.
      writeFileSync(path.join(SPAWNED_DIR, `${label}.log`), lines.join("\n"));
      rmSync(dataDir, { recursive: true, force: true });
      await scratch?.drop();
    },
  };
}

/** Polls /api/health until it answers 200; notices an early exit and a port someone else took. */
async function waitForHealth(
  child: ChildProcess,
  port: number,
  lines: string[],
  timeoutMs: number,
): Promise<"ready" | "port-taken"> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      if (lines.some((line) => line.includes("EADDRINUSE"))) return "port-taken";
      throw new Error(
        `The spawned hub exited (${child.exitCode ?? child.signalCode}) before it was healthy:\n${lines.join("\n")}`,
      );
    }
    if (lines.some((line) => line.includes("EADDRINUSE"))) return "port-taken";
    // Next.js prints "Ready" only once it listens, so a health answer after it is this process's own.
    const listening = lines.some((line) => /\bReady in\b/.test(line));
    const healthy =
      listening &&
      (await fetch(`http://localhost:${port}/api/health`, { signal: AbortSignal.timeout(2_000) })
        .then((response) => response.ok)
        .catch(() => false));
    if (healthy) return "ready";
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await killTree(child);
  throw new Error(`The spawned hub was not healthy within ${timeoutMs} ms:\n${lines.join("\n")}`);
}
