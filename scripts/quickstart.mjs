// npm run quickstart - the one command for a fresh machine with only Node.js and npm: installs the
// dependencies when node_modules is missing or older than the lock file, builds when there is no
// build or a source file changed since, makes sure there is an admin who can sign in, and starts
// the hub on the embedded database (or on DATABASE_URL when set).
//
// Unless MCPHUB_ADMIN_EMAIL is set, the admin is admin@localhost, with a password generated once
// into $MCPHUB_DATA_DIR/admin-password.txt (mode 0600) and reused on every later start.
// Uses node: built-ins only, because it runs before node_modules exists.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 9))
  fail(`MCPHub needs Node.js 20.9 or newer; this is ${process.version}.`);

// Next.js reads these files itself, but only after this script chose the port, data folder and admin.
const env = {
  ...loadDotEnvFiles([".env.production.local", ".env.local", ".env.production", ".env"]),
  ...process.env,
};
const setting = (name) => env[name]?.trim() || undefined;

// 1. Dependencies
const installStamp = "node_modules/.package-lock.json";
if (!existsSync(installStamp) || mtime("package-lock.json") > mtime(installStamp)) {
  step("Installing dependencies (npm ci)");
  run(...npmCommand(["ci", "--no-audit", "--no-fund"]));
}

// 2. Production build
const nextBin = "node_modules/next/dist/bin/next";
const buildId = ".next/BUILD_ID";
const staleBy = existsSync(buildId) ? newestSourceChange(mtime(buildId)) : "there is no build yet";
if (staleBy) {
  step(`Building the app (${staleBy})`);
  run(process.execPath, [nextBin, "build"], env);
}

// 3. The admin
const dataDir = path.resolve(setting("MCPHUB_DATA_DIR") ?? "./data");
const port = setting("PORT") ?? "3000";
const hostname = setting("HOSTNAME");
const publicUrl = (setting("MCPHUB_PUBLIC_URL") ?? `http://localhost:${port}`).replace(/\/+$/, "");
let signInHelp;
if (setting("MCPHUB_ADMIN_EMAIL")) {
  signInHelp = setting("MCPHUB_ADMIN_PASSWORD")
    ? [`email     ${setting("MCPHUB_ADMIN_EMAIL")}`, "password  the value of MCPHUB_ADMIN_PASSWORD"]
    : [
        `email     ${setting("MCPHUB_ADMIN_EMAIL")}`,
        "password  none (MCPHUB_ADMIN_PASSWORD is unset): sign in with GitHub or single sign-on",
      ];
} else {
  const passwordFile = path.join(dataDir, "admin-password.txt");
  env.MCPHUB_ADMIN_EMAIL = "admin@localhost";
  env.MCPHUB_ADMIN_PASSWORD = readOrCreatePassword(passwordFile);
  signInHelp = [
    "email     admin@localhost",
    `password  cat ${shortPath(passwordFile)}   (generated once; never printed)`,
  ];
}

// 4. Start
env.PORT = port;
const database = setting("DATABASE_URL")
  ? "PostgreSQL at DATABASE_URL"
  : `embedded PGlite in ${shortPath(path.join(dataDir, "pglite"))}`;
step(`Starting MCPHub on port ${port} (${database})`);
const child = spawn(process.execPath, [nextBin, "start", "-p", port, ...(hostname ? ["-H", hostname] : [])], {
  env,
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

const probeHost = !hostname || hostname === "0.0.0.0" || hostname === "::" ? "127.0.0.1" : hostname;
if (
  await waitUntilHealthy(
    `http://${probeHost.includes(":") ? `[${probeHost}]` : probeHost}:${port}/api/health`,
  )
) {
  const lines = [
    `MCPHub is running at ${publicUrl}`,
    "",
    "Sign in as the admin:",
    ...signInHelp.map((line) => `  ${line}`),
    "",
    `Data (database, secrets) lives in ${shortPath(dataDir)}/: back it up.`,
    "Stop with Ctrl+C; run `npm run quickstart` again to start where you left off.",
  ];
  const rule = "=".repeat(Math.min(100, Math.max(...lines.map((line) => line.length)) + 4));
  console.log(`\n${rule}\n${lines.map((line) => (line ? `  ${line}` : "")).join("\n")}\n${rule}\n`);
} else if (child.exitCode === null) {
  console.warn(`MCPHub did not answer ${publicUrl}/api/health within two minutes; see the log above.`);
}

function step(message) {
  console.log(`\n> ${message}`);
}

function fail(message) {
  console.error(`quickstart: ${message}`);
  process.exit(1);
}

function run(command, args, childEnv = process.env) {
  const result = spawnSync(command, args, { stdio: "inherit", env: childEnv });
  if (result.error) fail(`${command} ${args.join(" ")}: ${result.error.message}`);
  if (result.status !== 0)
    fail(`\`${[command, ...args].join(" ")}\` failed (exit ${result.status ?? result.signal}).`);
}

/** npm itself: the one that runs this script when started as `npm run quickstart`. */
function npmCommand(args) {
  const npmCli = process.env.npm_execpath;
  if (npmCli?.endsWith(".js")) return [process.execPath, [npmCli, ...args]];
  return [process.platform === "win32" ? "npm.cmd" : "npm", args];
}

/** A path inside the project as a relative one, anything else as it is. */
function shortPath(file) {
  const relative = path.relative(root, file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

function mtime(file) {
  return statSync(file).mtimeMs;
}

/** Names the first file that changed after the build, or returns undefined when the build is current. */
function newestSourceChange(builtAt) {
  const files = [
    "package.json",
    "package-lock.json",
    installStamp,
    "next.config.js",
    "tsconfig.json",
    "postcss.config.mjs",
    "proxy.ts",
    "instrumentation.ts",
  ];
  for (const dir of ["app", "lib", "public"]) {
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) files.push(path.join(entry.parentPath ?? entry.path, entry.name));
    }
  }
  const changed = files.find((file) => existsSync(file) && mtime(file) > builtAt);
  return changed && `${changed} changed since the last build`;
}

/** Reads the generated admin password, or creates it once (mode 0600, never overwritten). */
function readOrCreatePassword(file) {
  if (existsSync(file)) {
    const password = readFileSync(file, "utf8").trim();
    if (password.length < 8)
      fail(`${file} holds no usable password (8 characters or more); delete it to make a new one.`);
    return password;
  }
  const reusedDatabase = existsSync(path.join(dataDir, "pglite"));
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const password = randomBytes(18).toString("base64url");
  writeFileSync(file, `${password}\n`, { mode: 0o600, flag: "wx" });
  if (reusedDatabase) {
    console.warn(
      `quickstart: made a new admin password in ${file}, but ${dataDir} already holds a database. ` +
        "If admin@localhost exists there from before, it keeps its old password.",
    );
  }
  return password;
}

async function waitUntilHealthy(url, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return false;
}

/** Variables from .env files, first file first; no expansion, as a plain KEY=value reader. */
function loadDotEnvFiles(files) {
  const vars = {};
  for (const file of files) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, "utf8").split(/\r?\n/)) {
      const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
      if (!match || match[1] in vars) continue;
      let value = match[2];
      const quoted = /^(["'])(.*)\1$/.exec(value);
      value = quoted ? quoted[2] : value.replace(/\s+#.*$/, "");
      vars[match[1]] = value;
    }
  }
  return vars;
}
