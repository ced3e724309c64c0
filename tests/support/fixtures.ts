import { type ChildProcess, spawn } from "node:child_process";

/**
 * Starts a fixture MCP server (tests/fixtures/servers/*.mjs, or any script with `args`) on `port`
 * and waits until its output contains `readyText`.
 */
export async function startFixture(
  script: string,
  port: number,
  args: string[] = [],
  readyText = "ready",
): Promise<ChildProcess> {
  const env = { PATH: process.env.PATH ?? "", PORT: String(port) } as unknown as NodeJS.ProcessEnv;
  // Its own process group, so stopFixture ends any children it started too.
  const child = spawn(process.execPath, [script, ...args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start`)), 10_000);
    // Servers announce themselves on either stream (server-everything uses stderr).
    const watch = (chunk: Buffer) => {
      if (chunk.toString().includes(readyText)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", watch);
    child.stderr?.on("data", watch);
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return child;
}

/** Ends a fixture and every process it started, and waits until they are gone. */
export async function stopFixture(child: ChildProcess | undefined): Promise<void> {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // already gone
  }
  await exited;
}
