import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { SYSTEM_READ_ONLY } from "./command";
import type { ProcessSettings } from "./settings";

/** The only variables of the hub's environment a process inherits (plus HOME, set to its folder). */
export const INHERITED_ENV = ["PATH", "LANG", "LC_ALL", "TERM", "TZ"] as const;

/**
 * The environment of an isolated process: the short allowlist, the project's node_modules/.bin first
 * on PATH (so installed servers run by name), then the server's own expanded `env`. Nothing else of
 * the hub's environment: no DATABASE_URL, MCPHUB_SECRET_KEY, AUTH_SECRET.
 */
export function processEnvironment(
  serverEnv: Record<string, string>,
  hubEnv: NodeJS.ProcessEnv = process.env,
  hubDir = process.cwd(),
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED_ENV) {
    const value = hubEnv[name];
    if (value !== undefined && !value.startsWith("()")) env[name] = value;
  }
  const bin = path.join(hubDir, "node_modules", ".bin");
  env.PATH = [bin, env.PATH ?? "/usr/local/bin:/usr/bin:/bin"].join(":");
  return { ...env, ...serverEnv };
}

/**
 * The process runs in its own folder, so a relative path the admin wrote against the hub's folder
 * (`node_modules/…/index.js`, `tests/fixtures/…`) is made absolute when that file exists there.
 */
export function absolutize(value: string, hubDir = process.cwd()): string {
  if (path.isAbsolute(value) || value.startsWith("-") || !value.includes("/")) return value;
  const candidate = path.resolve(hubDir, value);
  if (!candidate.startsWith(`${hubDir}${path.sep}`)) return value;
  try {
    return statSync(/*turbopackIgnore: true*/ candidate).isFile() ? candidate : value;
  } catch {
    return value;
  }
}

const under = (file: string, dir: string) => file === dir || file.startsWith(`${dir}${path.sep}`);

/**
 * What the sandbox shows read-only besides the system folders: the project's node_modules, the
 * folder node is installed in when it is not a system one, the operator's extra paths, and every
 * script file named in the command or args (only the file, never its folder).
 */
export function readOnlyPaths(
  launch: { command: string; args: string[] },
  settings: Pick<ProcessSettings, "readOnlyPaths" | "homesDir">,
  hubDir = process.cwd(),
): string[] {
  const paths = new Set<string>();
  const modules = path.join(hubDir, "node_modules");
  if (existsSync(/*turbopackIgnore: true*/ modules)) paths.add(modules);
  const nodePrefix = path.dirname(path.dirname(process.execPath));
  if (!SYSTEM_READ_ONLY.some((dir) => under(process.execPath, dir))) paths.add(nodePrefix);
  for (const extra of settings.readOnlyPaths) paths.add(extra);
  for (const value of [launch.command, ...launch.args]) {
    if (!path.isAbsolute(value) || under(value, settings.homesDir) || under(value, modules)) continue;
    if (SYSTEM_READ_ONLY.some((dir) => under(value, dir))) continue;
    try {
      if (statSync(/*turbopackIgnore: true*/ value).isFile()) paths.add(value);
    } catch {
      // not a file on this machine
    }
  }
  return [...paths];
}
