import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { ADMIN, ARTIFACTS_DIR, HUB_PORT, usingPostgres } from "./env";
import { createScratchDatabase } from "./postgres";

export type OwnHub = { url: string; stop: () => Promise<void> };

/**
 * Starts a second hub from the same production build, on its own empty database, with only the
 * bootstrap admin (and its key). Tests need it where the shared hub cannot serve: "the last admin"
 * only exists on a hub no parallel test adds admins to, and disabling the bootstrap admin (the one
 * user with a key) would break every other test.
 */
export async function startOwnHub(label: string, slot: 0 | 1, parallelIndex: number): Promise<OwnHub> {
  // Two slots per worker above the shared hub's port, so repeated or parallel runs never collide
  // (the OIDC fixture sits at +90 in the test setups).
  const port = HUB_PORT + 10 + parallelIndex * 2 + slot;
  if (port >= HUB_PORT + 90) throw new Error(`No port left for a hub of its own in worker ${parallelIndex}`);
  const url = `http://localhost:${port}`;
  const name = `own-hub-${label}-${parallelIndex}`;
  const logFile = path.join(ARTIFACTS_DIR, `${name}.log`);
  const scratch = usingPostgres ? await createScratchDatabase(label.replace(/\W/g, "_")) : undefined;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    MCPHUB_DATA_DIR: path.join(ARTIFACTS_DIR, name),
    MCPHUB_PUBLIC_URL: url,
    MCPHUB_ADMIN_EMAIL: ADMIN.email,
    MCPHUB_ADMIN_PASSWORD: ADMIN.password,
    MCPHUB_ADMIN_API_KEY: ADMIN.apiKey,
    HUB_LOG_FILE: logFile,
    AUTH_SECRET: randomBytes(32).toString("base64"),
    MCPHUB_SECRET_KEY: randomBytes(32).toString("base64"),
  };
  if (scratch) env.DATABASE_URL = scratch.url;
  else delete env.DATABASE_URL;

  const child = spawn(process.execPath, ["tests/support/start-hub.mjs"], { env, stdio: "ignore" });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    await stopChild(child, exited);
    await scratch?.drop();
  };
  try {
    await waitForHealth(url, child);
  } catch (error) {
    await stop();
    const log = existsSync(logFile) ? readFileSync(logFile, "utf8").slice(-2000) : "(no log)";
    throw new Error(`${(error as Error).message}\n--- ${logFile} ---\n${log}`);
  }
  return { url, stop };
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The hub at ${url} exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`The hub at ${url} did not become healthy within ${timeoutMs} ms`);
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}
