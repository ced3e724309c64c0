import { addressSpaceMb, type SandboxEnvironment } from "./detect";
import type { ProcessSettings } from "./settings";

/** What to run for one person, already expanded, and where. */
export type LaunchSpec = {
  command: string;
  args: string[];
  /** The complete environment of the process (allowlist plus the server's own env). */
  env: Record<string, string>;
  /** The person's folder for this server: HOME, working folder, the only writable place. */
  home: string;
  /** The person's uid/gid (used when the uid layer is active). */
  uid: number;
  gid: number;
  /** Paths shown read-only inside the namespace besides the system folders. */
  readOnly: string[];
  /** This process's own cgroup folders to enter before anything runs (when the cgroup layer is active). */
  cgroupDirs: string[];
};

/** The system folders every sandbox sees read-only (missing ones are skipped). */
export const SYSTEM_READ_ONLY = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/etc", "/opt"];

/**
 * Enters the cgroup folders given as arguments, then replaces itself with the command. The command
 * and its arguments stay positional parameters: the shell never parses them.
 */
export const ENTER_CGROUPS_SCRIPT =
  'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1/cgroup.procs" || exit 125; shift; n=$((n-1)); done; exec "$@"';

/**
 * Builds the argv that runs `spec` inside every active layer, innermost first:
 * command ← setpriv (uid) ← bwrap (namespaces) ← prlimit (limits) ← sh entering the cgroups.
 * Pure: the same spec and layers give the same argv, which the unit tests pin down.
 */
export function buildSandboxCommand(
  spec: LaunchSpec,
  env: Pick<SandboxEnvironment, "root" | "bwrap" | "setpriv" | "prlimit" | "nice" | "cgroups">,
  settings: Pick<ProcessSettings, "maxFiles" | "maxTasks" | "memoryMb">,
): { file: string; args: string[]; cwd: string } {
  let argv = [spec.command, ...spec.args];
  const setpriv = env.root ? env.setpriv : undefined;
  const ownUid = setpriv !== undefined;

  if (setpriv) {
    argv = [
      setpriv,
      `--reuid=${spec.uid}`,
      `--regid=${spec.gid}`,
      "--clear-groups",
      "--no-new-privs",
      "--inh-caps=-all",
      "--bounding-set=-all",
      "--",
      ...argv,
    ];
  }

  if (env.bwrap) {
    const binds: string[] = [];
    for (const dir of SYSTEM_READ_ONLY) binds.push("--ro-bind-try", dir, dir);
    binds.push("--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--tmpfs", "/tmp");
    // bwrap makes missing parents of a bind 0700 (root's): make them traversable, or the dropped
    // uid could not reach node_modules or its own folder. They are empty folders in the namespace.
    for (const dir of parentsToCreate([...spec.readOnly, spec.home]))
      binds.push("--perms", "0755", "--dir", dir);
    for (const dir of spec.readOnly) binds.push("--ro-bind-try", dir, dir);
    binds.push("--bind", spec.home, spec.home, "--chdir", spec.home);
    argv = [
      env.bwrap,
      ...(env.root ? [] : ["--unshare-user"]),
      "--unshare-pid",
      "--unshare-ipc",
      "--die-with-parent",
      ...binds,
      "--",
      ...argv,
    ];
  }

  if (env.prlimit) {
    argv = [
      env.prlimit,
      `--nofile=${settings.maxFiles}`,
      // RLIMIT_NPROC counts every process of the uid: only meaningful with a uid of its own.
      ...(ownUid ? [`--nproc=${settings.maxTasks}`] : []),
      ...(env.cgroups ? [] : [`--as=${addressSpaceMb(settings) * 1024 * 1024}`]),
      "--",
      // A lower CPU priority: a burst of starting servers must not starve the hub's own requests.
      ...(env.nice ? [env.nice, "-n", "10"] : []),
      ...argv,
    ];
  }

  if (env.cgroups && spec.cgroupDirs.length > 0) {
    argv = [
      "/bin/sh",
      "-c",
      ENTER_CGROUPS_SCRIPT,
      "mcphub-enter-cgroups",
      String(spec.cgroupDirs.length),
      ...spec.cgroupDirs,
      ...argv,
    ];
  }

  const [file, ...args] = argv;
  return { file: file ?? spec.command, args, cwd: spec.home };
}

/** The ancestors of bound paths that are not inside a system bind or /tmp, shallowest first. */
export function parentsToCreate(paths: string[]): string[] {
  const covered = [...SYSTEM_READ_ONLY, "/proc", "/dev"];
  const parents = new Set<string>();
  for (const target of paths) {
    const parts = target.split("/").filter(Boolean);
    for (let depth = 1; depth < parts.length; depth++) {
      const dir = `/${parts.slice(0, depth).join("/")}`;
      if (covered.some((c) => dir === c || dir.startsWith(`${c}/`))) break;
      if (dir !== "/tmp") parents.add(dir);
    }
  }
  return [...parents].sort((a, b) => a.split("/").length - b.split("/").length || a.localeCompare(b));
}
