// npm test - everything a fresh machine needs, then every test: installs dependencies and Debian's
// Chromium when missing, builds the app, runs the Playwright projects (unit, api, e2e) and ends
// with one line "N passed, N failed". Extra arguments go to `playwright test`.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

const run = (command, args, options = {}) => {
  const result = spawnSync(command, args, { stdio: "inherit", ...options });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

if (!existsSync("node_modules/.package-lock.json")) run("npm", ["ci", "--no-audit", "--no-fund"]);

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromium)) {
  if (process.getuid?.() !== 0) {
    console.error(
      `Chromium is missing at ${chromium}: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH.`,
    );
    process.exit(1);
  }
  run("apt-get", ["update", "-qq"]);
  run("apt-get", ["install", "-y", "-qq", "chromium"], {
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
}

// bubblewrap gives isolated processes their namespaces; the sandbox tests expect it where it can be installed.
// Without it the hub runs processes with the layers it has (and says so); the tests then check those.
if (!existsSync("/usr/bin/bwrap") && process.getuid?.() === 0) {
  const apt = { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } };
  const installed = spawnSync("apt-get", ["install", "-y", "-qq", "bubblewrap"], apt);
  if (installed.status !== 0) {
    spawnSync("apt-get", ["update", "-qq"], apt);
    if (spawnSync("apt-get", ["install", "-y", "-qq", "bubblewrap"], apt).status !== 0)
      console.warn("Could not install bubblewrap: the sandbox tests run without namespaces.");
  }
}

// The rate-limit tests start redis-server instances of their own (tests/support/redis.ts): the Redis
// counter store is tested against a real server, never skipped.
if (!existsSync("/usr/bin/redis-server") && process.getuid?.() === 0) {
  const apt = { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } };
  if (spawnSync("apt-get", ["install", "-y", "-qq", "redis-server"], apt).status !== 0) {
    spawnSync("apt-get", ["update", "-qq"], apt);
    spawnSync("apt-get", ["install", "-y", "-qq", "redis-server"], apt);
  }
}

if (!process.env.SKIP_BUILD) run("npx", ["next", "build"]);

const driver = process.env.DATABASE_URL ? "PostgreSQL" : "PGlite";
console.log(`\nRunning the tests against ${driver}`);
const result = spawnSync("npx", ["playwright", "test", ...process.argv.slice(2)], { stdio: "inherit" });

const report = JSON.parse(readFileSync("tests/.artifacts/results.json", "utf8"));
const { expected = 0, unexpected = 0, flaky = 0, skipped = 0 } = report.stats ?? {};
console.log(`${expected + flaky} passed, ${unexpected} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(result.status ?? 1);
