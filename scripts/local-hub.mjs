// A throwaway hub for scripts (the conformance run, the gateway benchmark): the production build
// (`next start`) on a fresh embedded data folder, with a bootstrap admin whose API key the script
// uses to add servers and groups through the REST API. Builds first when there is no build.
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

// Variables of the caller's environment that would change what the hub is.
const NOT_INHERITED = [/^MCPHUB_/, /^AUTH_/, /^DATABASE_URL$/, /^PORT$/, /^HOSTNAME$/, /^NODE_OPTIONS$/];

/**
 * Starts a hub on `port` and resolves once /api/health answers. `stop()` ends it and removes its
 * data folder. `api(method, path, body, key?)` calls the REST API with the admin's key (or `key`) and
 * throws on a non-2xx.
 */
/**
 * @param {{ port: number, label?: string, env?: Record<string, string>, nodeArgs?: string[], quiet?: boolean }} options
 */
export async function startLocalHub({ port, label = "hub", env = {}, nodeArgs = [], quiet = true }) {
  if (!existsSync(path.join(ROOT, ".next/BUILD_ID"))) {
    console.log("No production build yet: running next build");
    execFileSync("npx", ["next", "build"], { cwd: ROOT, stdio: "inherit" });
  }
  const dataDir = path.join(ROOT, "tests/.artifacts", `${label}-data`);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const adminKey = `mcphub_${randomBytes(32).toString("base64url")}`;
  const url = `http://localhost:${port}`;
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !NOT_INHERITED.some((pattern) => pattern.test(name))),
  );
  const child = spawn(
    process.execPath,
    [...nodeArgs, "node_modules/next/dist/bin/next", "start", "-p", String(port)],
    {
      cwd: ROOT,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...inherited,
        NODE_ENV: "production",
        PORT: String(port),
        MCPHUB_DATA_DIR: dataDir,
        MCPHUB_PUBLIC_URL: url,
        MCPHUB_ADMIN_EMAIL: "admin@localhost",
        MCPHUB_ADMIN_PASSWORD: randomBytes(18).toString("base64url"),
        MCPHUB_ADMIN_API_KEY: adminKey,
        ...env,
      },
    },
  );
  const log = [];
  for (const stream of [child.stdout, child.stderr])
    stream.on("data", (chunk) => {
      log.push(chunk.toString("utf8"));
      if (!quiet) process.stdout.write(chunk);
    });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {}
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {}
      }, 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The hub exited (${child.exitCode}):\n${log.join("")}`);
    const ok = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) })
      .then((response) => response.ok)
      .catch(() => false);
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The hub was not healthy within 90 s:\n${log.join("")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const api = async (method, apiPath, body, key = adminKey) => {
    const response = await fetch(`${url}${apiPath}`, {
      method,
      headers: { Authorization: `Bearer ${key}`, ...(body && { "Content-Type": "application/json" }) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${apiPath} answered ${response.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  };
  return { url, port, adminKey, pid: child.pid, log: () => log.join(""), api, stop };
}
