import { type ChildProcess, fork, spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import { existsSync } from "node:fs";
import type { Socket } from "node:net";
import path from "node:path";
import type { Readable, Writable } from "node:stream";
import { logger } from "@/lib/logger";
import { processWide } from "@/lib/process-wide";

/** What the process manager uses of a started child: its pipes, pid, exit and the start events. */
export type SandboxChild = Pick<ChildProcess, "pid" | "exitCode" | "signalCode" | "once" | "on"> & {
  stdin: Writable | null;
  stdout: Readable | null;
  stderr: Readable | null;
};

export type SpawnRequest = { file: string; args: string[]; cwd: string; env: Record<string, string> };

type SpawnerMessage =
  | { type: "stdio"; id: number; stream: "stdin" | "stdout" | "stderr" }
  | { type: "spawned"; id: number; pid: number }
  | { type: "error"; id: number; message: string; code: string | null }
  | { type: "exit"; id: number; code: number | null; signal: NodeJS.Signals | null };

/**
 * A child started by the spawner process: the same events and fields as a ChildProcess
 * ("spawn", "error", "exit"; pid, exitCode, signalCode, the three pipes).
 */
class SpawnedChild extends EventEmitter {
  pid: number | undefined = undefined;
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  stdin: Socket | null = null;
  stdout: Socket | null = null;
  stderr: Socket | null = null;

  exited(code: number | null, signal: NodeJS.Signals | null) {
    if (this.exitCode !== null || this.signalCode !== null) return;
    this.exitCode = code;
    this.signalCode = signal;
    this.emit("exit", code, signal);
  }
}

const HELPER = "scripts/process-spawner.mjs";

type SpawnerState = { helper?: ChildProcess; children: Map<number, SpawnedChild>; nextId: number };
const state = processWide<SpawnerState>("processSpawner", () => ({ children: new Map(), nextId: 1 }));

/**
 * Starts `request` through the spawner process when it can run, else directly. The spawner exists
 * because fork() copies the caller's page tables: from the hub (400-800 MB resident) each spawn
 * blocked the event loop 20-45 ms, so a hundred people starting processes stalled every request;
 * from the spawner (tens of MB) a spawn costs about 1 ms, off the hub's loop. The child's pipes are
 * handed over to the hub, which talks to the child directly (scripts/process-spawner.mjs).
 */
export function spawnSandboxed(request: SpawnRequest): SandboxChild {
  const helper = spawnerProcess();
  if (!helper) return spawnDirectly(request);
  const id = state.nextId++;
  const child = new SpawnedChild();
  state.children.set(id, child);
  helper.send({ type: "spawn", id, ...request });
  return child as unknown as SandboxChild;
}

function spawnDirectly(request: SpawnRequest): ChildProcess {
  return spawn(request.file, request.args, {
    cwd: request.cwd,
    env: request.env as NodeJS.ProcessEnv,
    stdio: ["pipe", "pipe", "pipe"],
    shell: false,
    // Its own process group: stopping signals the whole tree at once.
    detached: true,
  });
}

/** The running spawner, started on first use (again after it died); undefined if it cannot run. */
function spawnerProcess(): ChildProcess | undefined {
  if (state.helper?.connected) return state.helper;
  const script = path.join(process.cwd(), HELPER);
  if (!existsSync(/*turbopackIgnore: true*/ script)) return undefined;
  try {
    // Only PATH: the spawner needs none of the hub's secrets; each child's environment comes
    // with its request.
    const helper = fork(/*turbopackIgnore: true*/ script, [], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } as Record<string, string> as NodeJS.ProcessEnv,
      stdio: ["ignore", "ignore", "inherit", "ipc"],
      execArgv: [],
      // Its own process group: a signal to the hub's group (Ctrl-C, a supervisor's kill) reaches the
      // hub, which stops the processes in order; the spawner outlives it just long enough to kill
      // whatever is left when the channel closes, even after a SIGKILL of the hub's whole group.
      detached: true,
    });
    helper.on("message", (message: SpawnerMessage, handle?: Socket) => onMessage(message, handle));
    helper.once("exit", (code, signal) => {
      if (state.helper === helper) state.helper = undefined;
      // Each child it had is reported as ended: the manager then kills what is left of its process
      // group (a crashed spawner could not) and starts a new one on the next call.
      for (const [id, child] of state.children) {
        state.children.delete(id);
        child.exited(null, "SIGKILL");
      }
      if (code !== 0)
        logger.warn({ code, signal }, "the process spawner ended; it starts again on the next spawn");
    });
    helper.unref();
    (helper.channel as { unref?: () => void } | undefined)?.unref?.();
    state.helper = helper;
    return helper;
  } catch (error) {
    logger.warn({ err: (error as Error).message }, "the process spawner could not start: spawning directly");
    return undefined;
  }
}

function onMessage(message: SpawnerMessage, handle?: Socket) {
  const child = state.children.get(message.id);
  if (!child) {
    handle?.destroy();
    return;
  }
  switch (message.type) {
    case "stdio":
      if (handle) child[message.stream] = handle;
      return;
    case "spawned":
      child.pid = message.pid;
      child.emit("spawn");
      return;
    case "error":
      state.children.delete(message.id);
      child.emit("error", Object.assign(new Error(message.message), { code: message.code ?? undefined }));
      return;
    case "exit":
      state.children.delete(message.id);
      child.exited(message.code, message.signal);
      return;
  }
}
