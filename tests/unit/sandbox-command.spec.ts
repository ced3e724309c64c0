import { expect, test } from "@playwright/test";
import { buildSandboxCommand, ENTER_CGROUPS_SCRIPT, type LaunchSpec } from "@/lib/processes/command";
import { absolutize, processEnvironment } from "@/lib/processes/launch";
import { RingBuffer } from "@/lib/processes/ring-buffer";

// Which sandbox layer puts what in front of the server's own command: the argv is the contract
// between detection (what this machine can do) and the process that runs.

const spec: LaunchSpec = {
  command: "node",
  args: ["/srv/hub/node_modules/server/index.js", "--root", "/data/homes/u1/s1"],
  env: { PATH: "/usr/bin", HOME: "/data/homes/u1/s1" },
  home: "/data/homes/u1/s1",
  uid: 200_007,
  gid: 200_007,
  readOnly: ["/srv/hub/node_modules"],
  cgroupDirs: ["/sys/fs/cgroup/memory/hub/mcphub-p1", "/sys/fs/cgroup/pids/mcphub-p1"],
};
const limits = { maxFiles: 1024, maxTasks: 256, memoryMb: 512 };
const tools = { setpriv: "/usr/bin/setpriv", bwrap: "/usr/bin/bwrap", prlimit: "/usr/bin/prlimit" };
const cgroups = { memory: "/sys/fs/cgroup/memory/hub", pids: "/sys/fs/cgroup/pids/hub" };

test("no layer: the command itself, in the person's folder", () => {
  expect(buildSandboxCommand(spec, { root: true }, limits)).toEqual({
    file: "node",
    args: spec.args,
    cwd: spec.home,
  });
});

test("uid layer (root + setpriv): the person's uid and gid, no groups, no capabilities, no new privileges", () => {
  const built = buildSandboxCommand(spec, { root: true, setpriv: tools.setpriv }, limits);
  expect([built.file, ...built.args]).toEqual([
    "/usr/bin/setpriv",
    "--reuid=200007",
    "--regid=200007",
    "--clear-groups",
    "--no-new-privs",
    "--inh-caps=-all",
    "--bounding-set=-all",
    "--",
    "node",
    ...spec.args,
  ]);
});

test("setpriv is not used when the hub is not root (it could not change uid)", () => {
  const built = buildSandboxCommand(spec, { root: false, setpriv: tools.setpriv }, limits);
  expect(built.file).toBe("node");
});

test("namespace layer (bwrap): new PID and IPC namespaces, system read-only, only the home writable", () => {
  const built = buildSandboxCommand(spec, { root: true, bwrap: tools.bwrap }, limits);
  expect(built.file).toBe("/usr/bin/bwrap");
  const args = built.args;
  expect(args.slice(0, 3)).toEqual(["--unshare-pid", "--unshare-ipc", "--die-with-parent"]);
  expect(args).not.toContain("--unshare-user");
  const pairs = (flag: string) =>
    args.flatMap((arg, i) => (arg === flag ? [`${args[i + 1]}:${args[i + 2]}`] : []));
  expect(pairs("--ro-bind-try")).toEqual(
    expect.arrayContaining([
      "/usr:/usr",
      "/etc:/etc",
      "/lib:/lib",
      "/srv/hub/node_modules:/srv/hub/node_modules",
    ]),
  );
  // The only writable bind is the person's folder, which is also the working folder.
  expect(pairs("--bind")).toEqual([`${spec.home}:${spec.home}`]);
  expect(args[args.indexOf("--chdir") + 1]).toBe(spec.home);
  expect(args[args.indexOf("--tmpfs") + 1]).toBe("/tmp");
  // Parents of the binds are made traversable (bwrap would make them 0700), system folders excepted.
  const made = args.flatMap((arg, i) => (arg === "--dir" ? [args[i + 1]] : []));
  expect(made).toEqual(["/data", "/srv", "/data/homes", "/srv/hub", "/data/homes/u1"]);
  expect(args[args.indexOf("--proc") + 1]).toBe("/proc");
  // The home is bound after /tmp's tmpfs, so a home under /tmp is not hidden by it.
  expect(args.indexOf("--bind")).toBeGreaterThan(args.indexOf("--tmpfs"));
  expect(args.slice(args.indexOf("--") + 1)).toEqual(["node", ...spec.args]);
});

test("without root, bwrap makes a user namespace instead", () => {
  const built = buildSandboxCommand(spec, { root: false, bwrap: tools.bwrap }, limits);
  expect(built.args[0]).toBe("--unshare-user");
});

test("limits layer (prlimit): open files always; processes only with a uid of its own; address space only without cgroups", () => {
  const plain = buildSandboxCommand(spec, { root: false, prlimit: tools.prlimit }, limits);
  expect([plain.file, ...plain.args.slice(0, 3)]).toEqual([
    "/usr/bin/prlimit",
    "--nofile=1024",
    `--as=${4096 * 1024 * 1024}`,
    "--",
  ]);
  const withUid = buildSandboxCommand(
    spec,
    { root: true, prlimit: tools.prlimit, setpriv: tools.setpriv, cgroups },
    limits,
  );
  const at = withUid.args.indexOf("/usr/bin/prlimit");
  expect(withUid.args.slice(at + 1, at + 4)).toEqual(["--nofile=1024", "--nproc=256", "--"]);
});

test("cgroup layer: a fixed sh script enters the cgroups, the command stays positional (never parsed by a shell)", () => {
  const hostile = { ...spec, args: ["; rm -rf / #", "$(id)"] };
  const built = buildSandboxCommand(hostile, { root: true, cgroups }, limits);
  expect(built.file).toBe("/bin/sh");
  expect(built.args).toEqual([
    "-c",
    ENTER_CGROUPS_SCRIPT,
    "mcphub-enter-cgroups",
    "2",
    ...spec.cgroupDirs,
    "node",
    "; rm -rf / #",
    "$(id)",
  ]);
});

test("every layer: sh(cgroups) → prlimit → nice → bwrap → setpriv → the command", () => {
  const built = buildSandboxCommand(spec, { root: true, ...tools, nice: "/usr/bin/nice", cgroups }, limits);
  const argv = [built.file, ...built.args];
  expect(argv.slice(argv.indexOf("/usr/bin/nice"), argv.indexOf("/usr/bin/nice") + 3)).toEqual([
    "/usr/bin/nice",
    "-n",
    "10",
  ]);
  const order = [
    "/bin/sh",
    "/usr/bin/prlimit",
    "/usr/bin/nice",
    "/usr/bin/bwrap",
    "/usr/bin/setpriv",
    "node",
  ].map((x) => argv.indexOf(x));
  expect(order.every((position, i) => position >= 0 && (i === 0 || position > (order[i - 1] ?? 0)))).toBe(
    true,
  );
});

test("the environment is the allowlist plus the server's env: nothing else of the hub's", () => {
  const env = processEnvironment(
    { API_TOKEN: "person-value" },
    {
      PATH: "/usr/bin",
      LANG: "C.UTF-8",
      DATABASE_URL: "postgres://secret",
      MCPHUB_SECRET_KEY: "k",
      AUTH_SECRET: "a",
      NODE_OPTIONS: "--require /evil.js",
      HOME: "/root",
    } as unknown as NodeJS.ProcessEnv,
    "/srv/hub",
  );
  expect(env).toEqual({
    PATH: "/srv/hub/node_modules/.bin:/usr/bin",
    LANG: "C.UTF-8",
    API_TOKEN: "person-value",
  });
});

test("relative script paths are made absolute against the hub's folder, only for files there", () => {
  const hub = process.cwd();
  expect(absolutize("tests/fixtures/servers/isolation-probe.mjs", hub)).toBe(
    `${hub}/tests/fixtures/servers/isolation-probe.mjs`,
  );
  expect(absolutize("tests/fixtures", hub)).toBe("tests/fixtures"); // a folder: left alone
  expect(absolutize("../outside.js", hub)).toBe("../outside.js");
  expect(absolutize("--flag=a/b", hub)).toBe("--flag=a/b");
  expect(absolutize("node", hub)).toBe("node");
});

test("the stderr ring keeps the last bytes and lines", () => {
  const ring = new RingBuffer(1_000, 5);
  for (let i = 0; i < 100; i++) ring.push(`line ${i}\n`);
  expect(ring.text().trim().split("\n")).toEqual(["line 95", "line 96", "line 97", "line 98", "line 99"]);
  expect(ring.lastLine()).toBe("line 99");
  const big = new RingBuffer(100, 1_000);
  big.push("x".repeat(500));
  expect(Buffer.byteLength(big.text())).toBeLessThanOrEqual(100);
});
