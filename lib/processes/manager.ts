import type { Client } from "@modelcontextprotocol/client";
import { logger } from "@/lib/logger";
import { sweepStaleCgroups } from "./cgroup";
import type { LaunchSpec } from "./command";
import { getSandbox, type SandboxEnvironment } from "./detect";
import { ensureHome } from "./home";
import { uidFor } from "./identity";
import { readOnlyPaths } from "./launch";
import {
  acquireProcessLease,
  LEASE_HEARTBEAT_MS,
  onProcessReleaseRequest,
  ProcessElsewhereError,
  releaseProcessLease,
  renewProcessLeases,
} from "./lease";
import { ManagedProcess, type ProcessOwner } from "./managed-process";
import { type ProcessSettings, readProcessSettings } from "./settings";
import { treeRssBytes } from "./tree";

/** What the worker routes and the admin page show about one process. */
export type ProcessInfo = {
  id: string;
  userId: string;
  userEmail: string;
  server: string;
  serverId: string;
  configVersion: number;
  pid: number | null;
  state: ManagedProcess["state"];
  startedAt: string | null;
  lastUsedAt: string;
  memoryBytes: number | null;
  crashes: number;
  retryAt: string | null;
  lastExit: { code: number | null; signal: string | null; at: string } | null;
};

/** What to run, expanded for this person once their folder is known. */
export type Launcher = (home: string) => { command: string; args: string[]; env: Record<string, string> };

const MAX_BACKOFF_MS = 60_000;
/** A process that ran this long before crashing starts its backoff from the beginning. */
const STABLE_AFTER_MS = 30_000;

export class ProcessBusyError extends Error {
  override name = "ProcessBusyError";
}

/**
 * One process per (person, server, configuration version), started on first use and shared by that
 * person's sessions and keys, never by anyone else. Starts are single-flight; caps make room by
 * stopping the least recently used idle process; idle processes are stopped; a crash is restarted
 * on next use after a backoff that doubles with each crash.
 */
export class ProcessManager {
  private readonly slots = new Map<string, ManagedProcess>();
  private readonly reaper: NodeJS.Timeout;
  private readonly heartbeat: NodeJS.Timeout;
  private starting = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly settings: ProcessSettings,
    readonly sandbox: SandboxEnvironment,
  ) {
    this.reaper = setInterval(() => this.reapIdle(), 1_000);
    this.reaper.unref();
    // Instances on one database: our leases stay fresh while our processes live (lease.ts).
    this.heartbeat = setInterval(() => {
      renewProcessLeases().catch((error) =>
        logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          "could not renew process leases",
        ),
      );
    }, LEASE_HEARTBEAT_MS);
    this.heartbeat.unref();
    if (sandbox.cgroups) sweepStaleCgroups(sandbox.cgroups);
  }

  private keyOf(owner: Pick<ProcessOwner, "userId" | "serverId" | "configVersion">) {
    return `${owner.userId}:${owner.serverId}:${owner.configVersion}`;
  }

  /** The person's running process for this server version, started if needed; its MCP client. */
  ensure(owner: ProcessOwner, launcher: Launcher, timeoutMs: number): Promise<Client> {
    const key = this.keyOf(owner);
    const existing = this.slots.get(key);
    if (existing?.ready && (existing.state === "running" || existing.state === "starting")) {
      existing.touch();
      return existing.ready;
    }
    if (existing?.state === "crashed" && existing.retryAt > Date.now()) {
      return Promise.reject(new Error(crashMessage(existing)));
    }
    const process =
      existing && existing.state === "crashed" ? existing : new ManagedProcess(key, owner, this.onExit);
    process.state = "starting";
    this.slots.set(key, process);
    process.ready = this.launch(process, launcher, timeoutMs);
    // The caller sees the rejection; nobody else has to.
    process.ready.catch(() => {});
    return process.ready;
  }

  private async launch(process: ManagedProcess, launcher: Launcher, timeoutMs: number): Promise<Client> {
    const { owner } = process;
    try {
      await this.stopOtherVersions(owner);
      await this.makeRoom(process);
      const root = this.sandbox.root && Boolean(this.sandbox.setpriv);
      const uid = root
        ? uidFor(this.settings.homesDir, this.settings.firstUid, owner.userId)
        : (globalThis.process.getuid?.() ?? 0);
      const gid = root ? uid : (globalThis.process.getgid?.() ?? 0);
      const home = ensureHome(
        this.settings.homesDir,
        owner.userId,
        owner.serverId,
        root ? { uid, gid } : undefined,
      );
      // Another instance may run this person's process of this server: it stops it first.
      await acquireProcessLease(owner);
      const resolved = launcher(home);
      const launch: Omit<LaunchSpec, "cgroupDirs"> = {
        ...resolved,
        env: { ...resolved.env, HOME: home },
        home,
        uid,
        gid,
        readOnly: readOnlyPaths(resolved, this.settings),
      };
      const client = await this.throttled(() =>
        process.start(launch, this.sandbox, this.settings, timeoutMs),
      );
      logger.info(
        { processId: process.id, server: owner.serverName, userId: owner.userId, pid: process.pid },
        "isolated process started",
      );
      return client;
    } catch (error) {
      if (error instanceof ProcessBusyError || error instanceof ProcessElsewhereError) {
        if (this.slots.get(process.key) === process && !process.running) this.slots.delete(process.key);
        this.releaseLeaseIfIdle(owner);
        throw error;
      }
      this.recordCrash(process);
      this.releaseLeaseIfIdle(owner);
      throw error;
    }
  }

  /** Gives the person's lease of this server up when none of its versions runs or starts here. */
  private releaseLeaseIfIdle(owner: Pick<ProcessOwner, "userId" | "serverId">) {
    const running = this.live((p) => p.owner.userId === owner.userId && p.owner.serverId === owner.serverId);
    if (running.length === 0) void releaseProcessLease(owner);
  }

  /** Stops this person's processes of one server (every version): another instance takes over. */
  async handOver(userId: string, serverId: string): Promise<void> {
    const theirs = [...this.slots.values()].filter(
      (p) => p.owner.userId === userId && p.owner.serverId === serverId,
    );
    for (const p of theirs) this.slots.delete(p.key);
    await Promise.all(theirs.map((p) => p.stop()));
    if (theirs.length > 0)
      logger.info({ userId, serverId }, "isolated process handed over to another instance");
    await releaseProcessLease({ userId, serverId });
  }

  private onExit = (process: ManagedProcess, expected: boolean) => {
    // Deferred: a crash is recorded (and a replacement may be starting) before the lease is judged idle.
    queueMicrotask(() => this.releaseLeaseIfIdle(process.owner));
    if (expected) {
      if (
        this.slots.get(process.key) === process &&
        process.state !== "starting" &&
        process.state !== "crashed"
      )
        this.slots.delete(process.key);
      return;
    }
    this.recordCrash(process);
    logger.warn(
      {
        processId: process.id,
        server: process.owner.serverName,
        userId: process.owner.userId,
        exit: process.lastExit,
        stderr: process.stderr.lastLine(),
      },
      "isolated process exited unexpectedly",
    );
  };

  private recordCrash(process: ManagedProcess) {
    if (process.crashCountedFor === process.attempt) return;
    process.crashCountedFor = process.attempt;
    const ranFor = process.startedAt ? Date.now() - process.startedAt.getTime() : 0;
    if (ranFor > STABLE_AFTER_MS && process.state === "running") process.crashes = 0;
    process.crashes += 1;
    process.retryAt = Date.now() + Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** (process.crashes - 1));
    process.state = "crashed";
    process.ready = null;
    this.slots.set(process.key, process);
  }

  /**
   * At most settings.maxStarting processes start at once; the others wait their turn before their
   * initialize timeout begins. A burst of first calls then costs queueing, not timeouts.
   */
  private async throttled<T>(start: () => Promise<T>): Promise<T> {
    if (this.starting < this.settings.maxStarting) this.starting++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await start();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.starting--;
    }
  }

  /** A new configuration version replaces the old one's processes for this person. */
  private async stopOtherVersions(owner: ProcessOwner) {
    const prefix = `${owner.userId}:${owner.serverId}:`;
    const stale = [...this.slots.values()].filter(
      (p) => p.key.startsWith(prefix) && p.owner.configVersion !== owner.configVersion,
    );
    for (const p of stale) this.slots.delete(p.key);
    await Promise.all(stale.map((p) => p.stop()));
  }

  private live(filter: (p: ManagedProcess) => boolean = () => true) {
    return [...this.slots.values()].filter(
      (p) => (p.state === "running" || p.state === "starting") && filter(p),
    );
  }

  /** Stops least recently used idle processes until the person and the hub are under their caps. */
  private async makeRoom(incoming: ProcessOwner | ManagedProcess) {
    const newcomer = incoming instanceof ManagedProcess ? incoming : undefined;
    const userId = incoming instanceof ManagedProcess ? incoming.owner.userId : incoming.userId;
    const caps: Array<[string, (p: ManagedProcess) => boolean, number]> = [
      ["this person", (p) => p.owner.userId === userId, this.settings.maxPerUser],
      ["the hub", () => true, this.settings.maxTotal],
    ];
    for (const [who, filter, cap] of caps) {
      for (;;) {
        const others = this.live((p) => p !== newcomer && filter(p));
        if (others.length < cap) break;
        const idle = others
          .filter((p) => p.state === "running" && (p.transport?.pending.size ?? 0) === 0)
          .sort((a, b) => a.lastUsedAt.getTime() - b.lastUsedAt.getTime());
        const victim = idle[0];
        if (!victim) {
          throw new ProcessBusyError(
            `${newcomer?.owner.serverName ?? "The server"} cannot start another process: ${who} already runs ${others.length} (the limit), all busy; try again when a call finishes`,
          );
        }
        logger.info(
          { processId: victim.id, server: victim.owner.serverName, userId: victim.owner.userId, cap: who },
          "isolated process stopped to make room (least recently used)",
        );
        this.slots.delete(victim.key);
        await victim.stop();
      }
    }
  }

  private reapIdle() {
    const now = Date.now();
    for (const process of this.slots.values()) {
      if (process.idleFor(now) > process.owner.idleMs) {
        logger.info(
          { processId: process.id, server: process.owner.serverName, userId: process.owner.userId },
          "isolated process stopped after being idle",
        );
        this.slots.delete(process.key);
        void process.stop();
      }
    }
  }

  list(): ProcessInfo[] {
    return [...this.slots.values()]
      .map((p) => toInfo(p))
      .sort((a, b) => a.server.localeCompare(b.server) || a.userEmail.localeCompare(b.userEmail));
  }

  /** How a person's process of a server version last ended ("killed by SIGKILL: <stderr>"), if it did. */
  exitReason(owner: Pick<ProcessOwner, "userId" | "serverId" | "configVersion">): string | undefined {
    const process = this.slots.get(this.keyOf(owner));
    if (!process?.lastExit) return undefined;
    return `${exitSummary(process)}${stderrSuffix(process)}`;
  }

  find(id: string): ManagedProcess | undefined {
    return [...this.slots.values()].find((p) => p.id === id);
  }

  describe(process: ManagedProcess): ProcessInfo {
    return toInfo(process);
  }

  /** Stops a process for good (until the person's next call starts a new one). */
  async stop(process: ManagedProcess): Promise<void> {
    if (this.slots.get(process.key) === process) this.slots.delete(process.key);
    await process.stop();
  }

  /** Stops and starts a process again with the same launch, even while a crash backoff runs. */
  async restart(process: ManagedProcess, timeoutMs = 10_000): Promise<void> {
    const launch = process.launch;
    if (!launch) throw new Error("This process never started, so there is nothing to restart");
    await process.stop();
    process.crashes = 0;
    process.retryAt = 0;
    process.state = "starting";
    this.slots.set(process.key, process);
    process.ready = (async () => {
      try {
        await this.makeRoom(process);
        return await this.throttled(() => process.start(launch, this.sandbox, this.settings, timeoutMs));
      } catch (error) {
        if (!(error instanceof ProcessBusyError)) this.recordCrash(process);
        throw error;
      }
    })();
    await process.ready;
  }

  /** Synchronous: SIGKILL to every process tree, for the hub's exit. */
  killAllNow(): void {
    for (const process of this.slots.values()) process.killNow();
  }

  async stopAll(): Promise<void> {
    const all = [...this.slots.values()];
    this.slots.clear();
    await Promise.all(all.map((p) => p.stop()));
  }
}

function toInfo(p: ManagedProcess): ProcessInfo {
  return {
    id: p.id,
    userId: p.owner.userId,
    userEmail: p.owner.userEmail,
    server: p.owner.serverName,
    serverId: p.owner.serverId,
    configVersion: p.owner.configVersion,
    pid: p.running ? p.pid : null,
    state: p.state,
    startedAt: p.startedAt?.toISOString() ?? null,
    lastUsedAt: p.lastUsedAt.toISOString(),
    memoryBytes: p.running && p.pid ? treeRssBytes(p.pid) : null,
    crashes: p.crashes,
    retryAt: p.state === "crashed" && p.retryAt ? new Date(p.retryAt).toISOString() : null,
    lastExit: p.lastExit ? { ...p.lastExit, at: p.lastExit.at.toISOString() } : null,
  };
}

/** The message callers get while a crashed process waits for its restart. */
export function crashMessage(p: ManagedProcess): string {
  const seconds = Math.max(1, Math.ceil((p.retryAt - Date.now()) / 1000));
  return `${p.owner.serverName} crashed (${exitSummary(p)}${stderrSuffix(p)}); the hub restarts it on the next call in ${seconds} s (crash ${p.crashes})`;
}

function exitSummary(p: ManagedProcess): string {
  if (!p.lastExit) return "it did not start";
  return p.lastExit.signal ? `killed by ${p.lastExit.signal}` : `exit code ${p.lastExit.code}`;
}

function stderrSuffix(p: ManagedProcess): string {
  const said = p.stderr.lastLine();
  return said ? `: ${said.slice(0, 300)}` : "";
}

const holder = globalThis as typeof globalThis & { __mcphubProcessManager?: ProcessManager };

/** The hub's one manager; the first call detects the sandbox and installs the exit handlers. */
export function getProcessManager(): ProcessManager {
  if (!holder.__mcphubProcessManager) {
    const settings = readProcessSettings();
    const manager = new ProcessManager(settings, getSandbox(settings));
    holder.__mcphubProcessManager = manager;
    installShutdownHandlers(manager);
    onProcessReleaseRequest((userId, serverId) => manager.handOver(userId, serverId));
  }
  return holder.__mcphubProcessManager;
}

/** The manager if one was made (health and the admin page must not start one just to look). */
export function existingProcessManager(): ProcessManager | undefined {
  return holder.__mcphubProcessManager;
}

/** No orphans: every process tree is killed when the hub exits, however it exits. */
function installShutdownHandlers(manager: ProcessManager) {
  process.once("exit", () => manager.killAllNow());
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      manager.killAllNow();
      // Next.js installs its own handler that exits; if nobody else listens, exit as the default would.
      if (process.listenerCount(signal) === 0) process.exit(signal === "SIGTERM" ? 143 : 130);
    });
  }
}
