import { type ChildProcess, spawn } from "node:child_process";

/** Starts a fixture MCP server (tests/fixtures/servers/*.mjs) on `port` and waits until it says "ready". */
export async function startFixture(script: string, port: number): Promise<ChildProcess> {
  const env = { PATH: process.env.PATH ?? "", PORT: String(port) } as unknown as NodeJS.ProcessEnv;
  const child = spawn(process.execPath, [script], { env, stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start`)), 10_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return child;
}
