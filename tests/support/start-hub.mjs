// Starts the production build for the test run on a fresh embedded data folder, keeping its log
// in HUB_LOG_FILE so tests can read what the server printed (the setup code, leaked secrets).
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, rmSync } from "node:fs";
import path from "node:path";

const dataDir = process.env.MCPHUB_DATA_DIR;
if (dataDir) rmSync(dataDir, { recursive: true, force: true });
const logFile = process.env.HUB_LOG_FILE;
if (logFile) mkdirSync(path.dirname(logFile), { recursive: true });
const log = logFile ? createWriteStream(logFile) : undefined;

const child = spawn(
  process.execPath,
  ["node_modules/next/dist/bin/next", "start", "-p", process.env.PORT ?? "3100"],
  {
    env: process.env,
    stdio: ["ignore", "pipe", "pipe"],
  },
);
for (const stream of [child.stdout, child.stderr]) {
  stream.on("data", (chunk) => {
    process.stdout.write(chunk);
    log?.write(chunk);
  });
}
const stop = () => child.kill("SIGTERM");
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
child.on("exit", (code) => process.exit(code ?? 0));
