// npm run bench:gateway - what the hub adds on the path of an MCP call. One run measures a
// tools/call of server-everything's `echo`:
//   direct-http     server-everything's own streamable HTTP
//   direct-stdio    server-everything over stdio through the SDK client (one connection)
//   hub             MCPHub (production build, `next start`, embedded DB) in front of the stdio server
//   supergateway    `supergateway --stateful` (a child per session) in front of the same stdio server
// at 1, 8 and 32 concurrent clients (each its own SDK v2 client and session), every configuration
// twice; the same call at one client with plain fetch (the servers' own time, without the SDK
// client's validation); then tools/list of 500 tools (20 servers × 25) through the hub (SDK client
// and plain fetch), the hub's RSS, and its RSS with 200 open sessions. Ports 3720-3749 (BENCH_PORT_BASE). BENCH_SECONDS per measurement (3).
// BENCH_ONE_CLIENT=<rounds> instead alternates hub and supergateway at one client (plain fetch) that many rounds;
// with BENCH_STAGES=1 each round also splits the hub's and supergateway's wall time per call into the
// way in, the upstream and the way out (bench/stage-trace.cjs).
// Prints a Markdown report and writes it to tests/.artifacts/bench-gateway.md.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { ROOT, startLocalHub } from "../scripts/local-hub.mjs";
import { rawSession } from "./raw-session";
import { createScratchDatabase, EMBEDDED } from "./scratch-database";

const BASE = Number(process.env.BENCH_PORT_BASE ?? 3720);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONCURRENCY = [1, 8, 32];
const EVERYTHING = path.join(ROOT, "node_modules/@modelcontextprotocol/server-everything/dist/index.js");

/**
 * cpuPerCallUs: the server process's CPU time (user + system) over the measured calls, when asked;
 * syscallsPerCall: its read and write system calls (of every kind: sockets, pipes, files) per call.
 */
type Stats = {
  p50: number;
  p99: number;
  rate: number;
  calls: number;
  cpuPerCallUs?: number;
  syscallsPerCall?: number;
};
type Call = () => Promise<unknown>;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** CPU seconds (user + system) one process has used so far, from /proc (10 ms resolution). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Read and write system calls one process (all its threads) has made so far, from /proc. */
function readWriteSyscalls(pid: number): number {
  const io = readFileSync(`/proc/${pid}/io`, "utf8");
  return Number(/syscr: (\d+)/.exec(io)?.[1]) + Number(/syscw: (\d+)/.exec(io)?.[1]);
}

/**
 * Each worker calls in a loop for SECONDS after a short warm-up; latencies of every call. With
 * `serverPid`, also the CPU time that process spent per measured call: less noisy than latency
 * on a shared machine, and what a gateway adds to the server behind it.
 */
async function measure(
  workers: Call[],
  seconds = SECONDS,
  serverPid?: number,
  onMeasuredStart?: () => void,
): Promise<Stats> {
  const warmUntil = performance.now() + 300;
  await Promise.all(
    workers.map(async (call) => {
      while (performance.now() < warmUntil) await call();
    }),
  );
  const latencies: number[] = [];
  onMeasuredStart?.();
  const cpuBefore = serverPid ? cpuSeconds(serverPid) : 0;
  const syscallsBefore = serverPid ? readWriteSyscalls(serverPid) : 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    workers.map(async (call) => {
      while (performance.now() < end) {
        const t0 = performance.now();
        await call();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    rate: latencies.length / elapsed,
    calls: latencies.length,
    ...(serverPid && {
      cpuPerCallUs: ((cpuSeconds(serverPid) - cpuBefore) * 1e6) / latencies.length,
      syscallsPerCall: (readWriteSyscalls(serverPid) - syscallsBefore) / latencies.length,
    }),
  };
}

async function httpClient(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: "bench", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

function echo(client: Client, name: string): Call {
  return async () => {
    const result = await client.callTool({ name, arguments: { message: "bench" } });
    if (result.isError) throw new Error(`echo failed: ${JSON.stringify(result.content)}`);
  };
}

function startProcess(command: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(command, args, {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, ...env },
  });
}

function stopProcess(child: ChildProcess): void {
  try {
    if (child.pid) process.kill(-child.pid, "SIGTERM");
  } catch {}
}

async function waitForPort(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const up = await fetch(url, { method: "GET" })
      .then(() => true)
      .catch(() => false);
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** RSS in MB of one process (not its children). */
function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** The hub's own processes (next start and any worker it forks), without the upstream children. */
function hubRss(groupId: number): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (
        Number(fields[2]) === groupId &&
        !cmdline.includes("server-everything") &&
        !cmdline.includes("many-tools")
      )
        total += rssOf(Number(entry));
    } catch {}
  }
  return total;
}

type Row = { target: string; clients: number; run: number } & Stats;

type Gateway = {
  target: string;
  url: string;
  tool: string;
  headers: Record<string, string>;
  pid?: number;
  /** Runs bench/stage-trace.cjs (BENCH_STAGES=1). */
  staged?: boolean;
};

/** BENCH_STAGES=1: where the gateways' bench/stage-trace.cjs write their medians. */
const STAGES_DIR = process.env.BENCH_STAGES ? path.join(ROOT, "tests/.artifacts/bench-stages") : undefined;
const STAGE_TRACE_ARGS = STAGES_DIR ? ["--require", path.join(ROOT, "bench/stage-trace.cjs")] : [];

type Stages = { calls: number; in: number; upstream: number; out: number };

/** Asks a traced process for its stage medians since the last ask (and starts it over). */
async function takeStages(pid: number): Promise<Stages | undefined> {
  if (!STAGES_DIR) return undefined;
  const file = path.join(STAGES_DIR, `${pid}.json`);
  rmSync(file, { force: true });
  process.kill(pid, "SIGUSR2");
  for (let waited = 0; waited < 2_000 && !existsSync(file); waited += 20)
    await new Promise((resolve) => setTimeout(resolve, 20));
  // Written in one call: a file that exists is complete.
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Stages) : undefined;
}

/** Alternating rounds of sequential calls (plain fetch) through each gateway; per round and the medians. */
async function compareAtOneClient(rounds: number, gateways: Gateway[]): Promise<void> {
  const sessions = await Promise.all(gateways.map((g) => rawSession(g.url, g.headers)));
  const results: Stats[][] = gateways.map(() => []);
  for (let round = 1; round <= rounds; round++) {
    const line: string[] = [];
    for (const [i, gateway] of gateways.entries()) {
      const request = sessions[i] as Awaited<ReturnType<typeof rawSession>>;
      const staged = gateway.staged && gateway.pid ? gateway.pid : undefined;
      const stats = await measure(
        [() => request("tools/call", { name: gateway.tool, arguments: { message: "bench" } })],
        2,
        gateway.pid,
        // Starts the process's stages over: the warm-up calls are not counted.
        staged ? () => process.kill(staged, "SIGUSR2") : undefined,
      );
      const stages = staged ? await takeStages(staged) : undefined;
      results[i]?.push(stats);
      line.push(
        `${gateway.target} p50 ${stats.p50.toFixed(3)} ms, ${stats.cpuPerCallUs?.toFixed(0)} µs CPU/call, ${stats.syscallsPerCall?.toFixed(1)} read/write syscalls/call, ${stats.calls} calls` +
          (stages
            ? ` (median µs: in ${stages.in.toFixed(0)}, upstream ${stages.upstream.toFixed(0)}, out ${stages.out.toFixed(0)})`
            : ""),
      );
    }
    console.log(`round ${round}: ${line.join(" | ")}`);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  for (const [i, gateway] of gateways.entries()) {
    const runs = results[i] ?? [];
    console.log(
      `${gateway.target}: median p50 ${median(runs.map((r) => r.p50)).toFixed(3)} ms, median CPU/call ${median(runs.map((r) => r.cpuPerCallUs ?? 0)).toFixed(0)} µs`,
    );
  }
}

async function main() {
  const rows: Row[] = [];
  const notes: string[] = [];
  const ports = { everything: BASE, hub: BASE + 10, supergateway: BASE + 20 };

  const everything = startProcess("node", [EVERYTHING, "streamableHttp"], { PORT: String(ports.everything) });
  if (STAGES_DIR) {
    mkdirSync(STAGES_DIR, { recursive: true });
    process.env.BENCH_STAGES_DIR = STAGES_DIR; // inherited by the hub and supergateway
  }
  const supergateway = startProcess("node", [
    ...STAGE_TRACE_ARGS,
    "node_modules/supergateway/dist/index.js",
    "--stdio",
    `node ${EVERYTHING} stdio`,
    "--outputTransport",
    "streamableHttp",
    "--stateful",
    "--port",
    String(ports.supergateway),
    "--logLevel",
    "none",
  ]);
  // BENCH_PROFILE=1: only the hub at one client for 10 s, with a CPU profile written when it stops.
  const profileDir = path.join(ROOT, "tests/.artifacts/hub-profile");
  // BENCH_DATABASE_SERVER: the hub on a scratch PostgreSQL database instead of the embedded PGlite.
  const databaseServer = process.env.BENCH_DATABASE_SERVER;
  const database = databaseServer ? await createScratchDatabase(databaseServer, "gateway") : EMBEDDED;
  console.log(`hub database: ${databaseServer ? "PostgreSQL (scratch database)" : "PGlite (embedded)"}`);
  const hub = await startLocalHub({
    port: ports.hub,
    label: "bench-hub",
    env: database.env,
    nodeArgs: process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : STAGE_TRACE_ARGS,
  });
  // Node's warnings carry the pid of the process that printed them (the hub writes to this output too).
  console.log(`process ids: this benchmark ${process.pid}, hub ${hub.pid}, supergateway ${supergateway.pid}`);
  try {
    await waitForPort(`http://localhost:${ports.everything}/mcp`);
    await waitForPort(`http://localhost:${ports.supergateway}/mcp`);
    await hub.api("POST", "/api/v1/servers", {
      name: "every",
      type: "stdio",
      command: "node",
      args: [EVERYTHING, "stdio"],
      isolation: "none",
    });
    await hub.api("POST", "/api/v1/groups", { name: "bench", servers: ["every"], visibility: "public" });
    await hub.api("PUT", "/api/v1/me/groups/bench", { active: true });
    const hubHeaders = { Authorization: `Bearer ${hub.adminKey}` };
    const idleRss = hubRss(hub.pid ?? 0);

    const stdioClient = new Client({ name: "bench", version: "1.0.0" });
    await stdioClient.connect(
      new StdioClientTransport({ command: "node", args: [EVERYTHING, "stdio"], stderr: "ignore" }),
    );

    const targets: Array<{
      name: string;
      open: (n: number) => Promise<{ calls: Call[]; close: () => Promise<void> }>;
    }> = [
      {
        name: "direct-http",
        open: async (n) => {
          const clients = await Promise.all(
            Array.from({ length: n }, () => httpClient(`http://localhost:${ports.everything}/mcp`)),
          );
          return { calls: clients.map((c) => echo(c, "echo")), close: () => closeAll(clients) };
        },
      },
      {
        name: "direct-stdio",
        open: async (n) => ({
          calls: Array.from({ length: n }, () => echo(stdioClient, "echo")),
          close: async () => {},
        }),
      },
      {
        name: "hub",
        open: async (n) => {
          const clients = await Promise.all(
            Array.from({ length: n }, () => httpClient(`${hub.url}/api/mcp/bench`, hubHeaders)),
          );
          return { calls: clients.map((c) => echo(c, "every-echo")), close: () => closeAll(clients) };
        },
      },
      {
        name: "supergateway",
        open: async (n) => {
          const clients = await Promise.all(
            Array.from({ length: n }, () => httpClient(`http://localhost:${ports.supergateway}/mcp`)),
          );
          return { calls: clients.map((c) => echo(c, "echo")), close: () => closeAll(clients) };
        },
      },
    ];

    if (process.env.BENCH_PROFILE) {
      const opened = await targets[2]?.open(1);
      const stats = await measure(opened?.calls ?? [], 10);
      await opened?.close();
      await stdioClient.close(); // its child would keep this script alive
      console.log(`hub, 1 client, profiled: p50 ${stats.p50.toFixed(2)} ms; profile in ${profileDir}`);
      return;
    }
    // BENCH_ONE_CLIENT=<rounds>: only the one-client comparison with plain fetch, hub and
    // supergateway alternately for that many rounds: a gap of a tenth of a millisecond is below
    // what two measurements minutes apart can tell on a shared machine.
    const rounds = Number(process.env.BENCH_ONE_CLIENT ?? 0);
    if (rounds > 0) {
      await stdioClient.close();
      await compareAtOneClient(rounds, [
        {
          target: "direct-http",
          url: `http://localhost:${ports.everything}/mcp`,
          tool: "echo",
          headers: {},
          pid: everything.pid,
        },
        {
          target: "hub",
          url: `${hub.url}/api/mcp/bench`,
          tool: "every-echo",
          headers: hubHeaders,
          pid: hub.pid,
          staged: true,
        },
        {
          target: "supergateway",
          url: `http://localhost:${ports.supergateway}/mcp`,
          tool: "echo",
          headers: {},
          pid: supergateway.pid,
          staged: true,
        },
      ]);
      return;
    }
    for (let run = 1; run <= 2; run++) {
      for (const clients of CONCURRENCY) {
        for (const target of targets) {
          const opened = await target.open(clients);
          const stats = await measure(opened.calls);
          await opened.close();
          rows.push({ target: target.name, clients, run, ...stats });
          console.log(
            `run ${run} ${target.name.padEnd(13)} ${String(clients).padStart(2)} clients: p50 ${stats.p50.toFixed(2)} ms, p99 ${stats.p99.toFixed(2)} ms, ${stats.rate.toFixed(0)} calls/s`,
          );
        }
      }
    }
    await stdioClient.close();
    // The same call with plain fetch at one client: the servers' own time, without the SDK client.
    const raw: Array<{ target: string; runs: Stats[] }> = [];
    for (const [target, url, tool, headers, pid] of [
      ["direct-http", `http://localhost:${ports.everything}/mcp`, "echo", {}, everything.pid],
      ["hub", `${hub.url}/api/mcp/bench`, "every-echo", hubHeaders, hub.pid],
      ["supergateway", `http://localhost:${ports.supergateway}/mcp`, "echo", {}, supergateway.pid],
    ] as const) {
      const request = await rawSession(url, headers);
      const call = () => request("tools/call", { name: tool, arguments: { message: "bench" } });
      raw.push({ target, runs: [await measure([call], SECONDS, pid), await measure([call], SECONDS, pid)] });
    }
    const loadedRss = hubRss(hub.pid ?? 0);

    // tools/list of 500 tools: 20 servers of 25 tools in one group, listed on one session.
    const many: string[] = [];
    for (let i = 0; i < 20; i++) {
      const name = `many${String(i).padStart(2, "0")}`;
      await hub.api("POST", "/api/v1/servers", {
        name,
        type: "stdio",
        command: "node",
        args: [path.join(ROOT, "bench/many-tools-server.mjs")],
        env: { TOOL_COUNT: "25" },
        isolation: "none",
      });
      many.push(name);
    }
    await hub.api("POST", "/api/v1/groups", { name: "many", servers: many, visibility: "public" });
    await hub.api("PUT", "/api/v1/me/groups/many", { active: true });
    const lister = await httpClient(`${hub.url}/api/mcp/many`, hubHeaders);
    // The first list spawns 20 upstreams at once; on a loaded machine some miss the hub's list
    // timeout and are left out until a later list, so it is repeated until all 500 tools are there.
    const coldStart = performance.now();
    let listed = (await lister.listTools()).tools.length;
    const cold = performance.now() - coldStart;
    for (let i = 0; listed !== 500 && i < 30; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      listed = (await lister.listTools()).tools.length;
    }
    if (listed !== 500) notes.push(`tools/list returned ${listed} tools, not 500`);
    const rawLister = await rawSession(`${hub.url}/api/mcp/many`, hubHeaders);
    const rawList: Stats[] = [];
    for (let run = 0; run < 2; run++)
      rawList.push(
        await measure(
          [
            async () => {
              await rawLister("tools/list");
            },
          ],
          2,
        ),
      );
    // A tools/call by the same person, whose calls route among those 500 tools (plain fetch).
    const manyCall: Stats[] = [];
    for (let run = 0; run < 2; run++)
      manyCall.push(
        await measure(
          [() => rawLister("tools/call", { name: "many00-tool_00", arguments: { input: "bench" } })],
          SECONDS,
          hub.pid,
        ),
      );
    const listRuns: Stats[] = [];
    for (let run = 0; run < 2; run++)
      listRuns.push(
        await measure(
          [
            async () => {
              await lister.listTools();
            },
          ],
          2,
        ),
      );
    await lister.close();

    // 200 open sessions (initialized, one tools/list each), then the hub's RSS.
    const sessions: Client[] = [];
    for (let i = 0; i < 200; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: 20 }, () => httpClient(`${hub.url}/api/mcp/bench`, hubHeaders)),
      );
      await Promise.all(batch.map((c) => c.listTools()));
      sessions.push(...batch);
    }
    const sessionsRss = hubRss(hub.pid ?? 0);
    await closeAll(sessions);

    const report = render(rows, {
      idleRss,
      loadedRss,
      sessionsRss,
      coldList: cold,
      list: listRuns,
      rawList,
      manyCall,
      raw,
      notes,
    });
    mkdirSync(path.join(ROOT, "tests/.artifacts"), { recursive: true });
    writeFileSync(path.join(ROOT, "tests/.artifacts/bench-gateway.md"), report);
    console.log(`\n${report}`);
  } finally {
    await hub.stop();
    stopProcess(everything);
    stopProcess(supergateway);
    await database.drop();
  }
}

async function closeAll(clients: Client[]): Promise<void> {
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
}

function render(
  rows: Row[],
  extra: {
    idleRss: number;
    loadedRss: number;
    sessionsRss: number;
    coldList: number;
    list: Stats[];
    rawList: Stats[];
    manyCall: Stats[];
    raw: Array<{ target: string; runs: Stats[] }>;
    notes: string[];
  },
): string {
  const get = (target: string, clients: number, run: number) =>
    rows.find((r) => r.target === target && r.clients === clients && r.run === run) as Row;
  const lines = [
    `Run ${new Date().toISOString()} on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "cpu"}), Node ${process.version}; ${SECONDS} s per measurement, each configuration twice (run 1 / run 2).`,
    "",
    "| target | clients | p50 ms | p99 ms | calls/s | × direct-http calls/s | hub added p50 ms |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const clients of CONCURRENCY)
    for (const target of ["direct-http", "direct-stdio", "hub", "supergateway"]) {
      const runs = [1, 2].map((run) => get(target, clients, run));
      const direct = [1, 2].map((run) => get("direct-http", clients, run));
      const stdio = [1, 2].map((run) => get("direct-stdio", clients, run));
      const fmt = (f: (r: Row, i: number) => number, digits = 2) =>
        runs.map((r, i) => f(r, i).toFixed(digits)).join(" / ");
      lines.push(
        `| ${target} | ${clients} | ${fmt((r) => r.p50)} | ${fmt((r) => r.p99)} | ${fmt((r) => r.rate, 0)} | ${fmt((r, i) => r.rate / (direct[i] as Row).rate)} | ${target === "hub" || target === "supergateway" ? fmt((r, i) => r.p50 - (stdio[i] as Row).p50) : "-"} |`,
      );
    }
  lines.push(
    "",
    `Hub database: ${process.env.BENCH_DATABASE_SERVER ? "PostgreSQL (a scratch database on the same machine)" : "PGlite (embedded, in the hub's process)"}.`,
    "",
    "\"hub added p50\" is the gateway's p50 minus direct-stdio's p50 in the same run (both reach the same stdio server).",
    "",
    "The same `tools/call` with plain fetch (a 2025-11-25 session, one client, no SDK client validating the answers):",
    "",
    "| target | p50 ms | p99 ms | calls/s | hub added p50 ms | server process CPU per call µs |",
    "|---|---|---|---|---|---|",
    ...extra.raw.map(({ target, runs }) => {
      const fmt = (f: (r: Stats) => number, digits = 2) => runs.map((r) => f(r).toFixed(digits)).join(" / ");
      const stdio = [1, 2].map((run) => get("direct-stdio", 1, run).p50);
      const added =
        target === "direct-http"
          ? "-"
          : runs.map((r, i) => (r.p50 - (stdio[i] as number)).toFixed(2)).join(" / ");
      return `| ${target} | ${fmt((r) => r.p50)} | ${fmt((r) => r.p99)} | ${fmt((r) => r.rate, 0)} | ${added} | ${fmt((r) => r.cpuPerCallUs ?? Number.NaN, 0)} |`;
    }),
    "",
    '"Server process CPU per call" is the CPU time (user + system, from /proc) of the process that answers the HTTP request (server-everything itself; the hub\'s `next start`; supergateway), without the stdio server behind a gateway, over the measured calls.',
    "",
    `tools/list of 500 tools (20 servers × 25) through the hub: first (uncached, 20 upstreams spawned) ${extra.coldList.toFixed(0)} ms; cached, SDK client: p50 ${extra.list.map((s) => s.p50.toFixed(2)).join(" / ")} ms, p99 ${extra.list.map((s) => s.p99.toFixed(2)).join(" / ")} ms; cached, plain fetch (the hub's own time, 140 KB answer): p50 ${extra.rawList.map((s) => s.p50.toFixed(2)).join(" / ")} ms, p99 ${extra.rawList.map((s) => s.p99.toFixed(2)).join(" / ")} ms.`,
    "",
    `tools/call of one of those 500 tools (the person sees all 500; plain fetch, one client): p50 ${extra.manyCall.map((s) => s.p50.toFixed(2)).join(" / ")} ms, p99 ${extra.manyCall.map((s) => s.p99.toFixed(2)).join(" / ")} ms, hub CPU per call ${extra.manyCall.map((s) => (s.cpuPerCallUs ?? Number.NaN).toFixed(0)).join(" / ")} µs.`,
    "",
    `Hub RSS (next start, without upstream children): ${extra.idleRss.toFixed(0)} MB after start, ${extra.loadedRss.toFixed(0)} MB after the call runs, ${extra.sessionsRss.toFixed(0)} MB with 200 open sessions.`,
    ...extra.notes.map((note) => `\nNote: ${note}`),
    "",
  );
  return lines.join("\n");
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
