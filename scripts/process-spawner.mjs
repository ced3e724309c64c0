// The hub's process spawner: a small Node process the hub starts once (lib/processes/spawner.ts)
// to start isolated processes for it. fork() copies the caller's page tables, so spawning from the
// hub (400-800 MB resident) blocked its event loop 20-45 ms per process; from here (about 45 MB)
// a spawn costs about 1 ms and never blocks the hub. Each child's stdin, stdout and stderr pipes
// are handed to the hub over the IPC channel, so the hub talks to the child directly; this process
// only starts children, reports their pid and exit, and reaps them.
//
// Messages from the hub: { type: "spawn", id, file, args, cwd, env }.
// To the hub: { type: "stdio", id, stream } with the pipe as the handle (stdin, stdout, stderr),
// then { type: "spawned", id, pid }; or { type: "error", id, message, code }; later
// { type: "exit", id, code, signal }.
// When the hub goes away (the IPC channel closes) every child's process group is killed.
import { spawn } from "node:child_process";

const children = new Map();

function killAll() {
  for (const pid of children.values()) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

process.on("message", (message) => {
  if (message?.type !== "spawn") return;
  const { id, file, args, cwd, env } = message;
  let child;
  try {
    // The same options the hub used: no shell, its own process group (stopping signals the tree).
    child = spawn(file, args, { cwd, env, stdio: ["pipe", "pipe", "pipe"], shell: false, detached: true });
  } catch (error) {
    process.send({ type: "error", id, message: error.message, code: error.code ?? null });
    return;
  }
  child.once("error", (error) => {
    children.delete(id);
    process.send({ type: "error", id, message: error.message, code: error.code ?? null });
  });
  child.once("spawn", () => {
    children.set(id, child.pid);
    // Each handle is closed here once sent: the hub holds the only copy of the parent's ends.
    process.send({ type: "stdio", id, stream: "stdin" }, child.stdin);
    process.send({ type: "stdio", id, stream: "stdout" }, child.stdout);
    process.send({ type: "stdio", id, stream: "stderr" }, child.stderr);
    process.send({ type: "spawned", id, pid: child.pid });
  });
  child.once("exit", (code, signal) => {
    children.delete(id);
    if (process.connected) process.send({ type: "exit", id, code, signal });
  });
});

process.on("disconnect", () => {
  killAll();
  process.exit(0);
});
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => {});
