import { randomBytes } from "node:crypto";
import type { Client } from "@modelcontextprotocol/client";
import type { UpstreamProtocolVersion } from "@/lib/servers/schemas";
import { connectHubClient } from "@/lib/upstream/connect";
import { RELAY_CAPABILITIES } from "@/lib/upstream/relay";
import { createProcessCgroups, type ProcessCgroups } from "./cgroup";
import { buildSandboxCommand, type LaunchSpec } from "./command";
import type { SandboxEnvironment } from "./detect";
import { RingBuffer } from "./ring-buffer";
import type { ProcessSettings } from "./settings";
import { type SandboxChild, spawnSandboxed } from "./spawner";
import { ChildProcessTransport } from "./transport";
import { signalGroup } from "./tree";

export type ProcessState = "starting" | "running" | "stopping" | "crashed";

/** Whose process this is and for which server version. */
export type ProcessOwner = {
  userId: string;
  userEmail: string;
  serverId: string;
  serverName: string;
  configVersion: number;
  idleMs: number;
  /** The MCP revision the hub speaks to the process (lib/servers/schemas.ts); default 2025-11-25. */
  protocolVersion?: UpstreamProtocolVersion;
};

const STOP_GRACE_MS = 2_000;

/**
 * One person's process for one server version: the child (inside its sandbox), the MCP client
 * over its stdio, its stderr and its state. The manager decides when it starts and stops.
 */
export class ManagedProcess {
  readonly id = `p${randomBytes(6).toString("hex")}`;
  state: ProcessState = "starting";
  pid: number | null = null;
  startedAt: Date | null = null;
  lastUsedAt = new Date();
  lastExit: { code: number | null; signal: string | null; at: Date } | null = null;
  crashes = 0;
  retryAt = 0;
  /** Start attempts so far; a crash is counted once per attempt. */
  attempt = 0;
  crashCountedFor = -1;
  readonly stderr = new RingBuffer();
  client: Client | null = null;
  transport: ChildProcessTransport | null = null;
  ready: Promise<Client> | null = null;
  /** The last launch, so an admin's restart runs the same thing. */
  launch: Omit<LaunchSpec, "cgroupDirs"> | null = null;

  private child: SandboxChild | null = null;
  private cgroups: ProcessCgroups | null = null;
  private exited: Promise<void> = Promise.resolve();
  private stopRequested = false;

  constructor(
    readonly key: string,
    readonly owner: ProcessOwner,
    private readonly onExit: (process: ManagedProcess, expected: boolean) => void,
  ) {}

  touch(): void {
    this.lastUsedAt = new Date();
  }

  /** No request in flight and unused for longer than its idle time. */
  idleFor(now = Date.now()): number {
    if (this.state !== "running" || (this.transport?.pending.size ?? 0) > 0) return 0;
    return now - this.lastUsedAt.getTime();
  }

  /** Spawns the child in its sandbox and initializes an MCP client over its stdio. */
  async start(
    launch: Omit<LaunchSpec, "cgroupDirs">,
    sandbox: SandboxEnvironment,
    settings: ProcessSettings,
    timeoutMs: number,
  ): Promise<Client> {
    this.launch = launch;
    this.attempt += 1;
    this.state = "starting";
    this.stopRequested = false;
    this.touch();
    this.cgroups = sandbox.cgroups
      ? createProcessCgroups(sandbox.cgroups, `mcphub-${this.id}`, settings)
      : null;
    const cgroupDirs = [...(this.cgroups?.dirs ?? []), ...(sandbox.cpuGroup ? [sandbox.cpuGroup] : [])];
    const command = buildSandboxCommand({ ...launch, cgroupDirs }, sandbox, settings);
    // Through the spawner process, off the hub's event loop (lib/processes/spawner.ts).
    const child = spawnSandboxed({
      file: command.file,
      args: command.args,
      cwd: command.cwd,
      env: launch.env,
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    child.once("exit", (code, signal) => this.handleExit(child, code, signal));
    try {
      await new Promise<void>((resolve, reject) => {
        child.once("spawn", resolve);
        child.once("error", reject);
      });
      // The pipes exist from "spawn" on (the spawner hands them over just before).
      child.stderr?.on("data", (chunk: Buffer) => this.stderr.push(chunk.toString("utf8")));
      this.pid = child.pid ?? null;
      this.startedAt = new Date();
      const transport = new ChildProcessTransport(child, {
        onActivity: () => this.touch(),
        onClose: () => this.stop(),
      });
      // A person's own process: its questions and log lines can go to that person (lib/upstream/relay.ts).
      const client = await connectHubClient(transport, {
        capabilities: RELAY_CAPABILITIES,
        timeoutMs,
        protocolVersion: this.owner.protocolVersion,
      });
      this.transport = transport;
      this.client = client;
      this.state = "running";
      return client;
    } catch (error) {
      const said = this.stderr.lastLine();
      await this.stop();
      const message = `${this.owner.serverName} did not start: ${(error as Error).message}${said ? `; stderr: ${said.slice(0, 500)}` : ""}`;
      throw new Error(message);
    }
  }

  private handleExit(child: SandboxChild, code: number | null, signal: string | null) {
    if (child !== this.child) return;
    this.lastExit = { code, signal, at: new Date() };
    // The leader died on its own (killed by pid, OOM, crash): what it left in its group or cgroup
    // would run on unseen, holding the person's files, so it goes too.
    if (!this.stopRequested) this.killNow(child.pid);
    this.child = null;
    this.client = null;
    this.transport = null;
    this.cgroups?.remove();
    this.cgroups = null;
    this.onExit(this, this.stopRequested);
  }

  /** Stops the whole tree: SIGTERM to the group, SIGKILL after a grace period; waits for the exit. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    if (this.state !== "crashed") this.state = "stopping";
    const pid = child.pid as number;
    signalGroup(pid, "SIGTERM");
    const timer = setTimeout(() => this.killNow(), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
    // Anything the leader left behind in its group or cgroup.
    this.killNow(pid);
  }

  /** SIGKILL to the group and every member of the cgroup: synchronous, usable on hub exit. */
  killNow(pid = this.child?.pid): void {
    if (pid) signalGroup(pid, "SIGKILL");
    for (const member of this.cgroups?.pids() ?? []) {
      try {
        process.kill(member, "SIGKILL");
      } catch {
        // gone
      }
    }
  }

  get running(): boolean {
    return this.child !== null;
  }
}
