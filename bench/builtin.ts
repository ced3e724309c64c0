// npm run bench:builtin - tools/call through the hub: a built-in GitHub tool (get_repository, against
// the replay server of recorded GitHub answers) next to a remote streamable-HTTP upstream doing one
// call of its own (server-everything's echo). Latency p50/p95/p99 at one client, throughput at
// several, the hub's memory, and the ratio of the two. Needs a production build (npx next build).
//
// BENCH_CALLS (sequential calls per target, default 400), BENCH_SECONDS (throughput run, default 8),
// BENCH_CLIENTS (concurrent clients, default 8), BENCH_PEOPLE (people for the memory figure, 50),
// BENCH_PORT (first of four ports, default 3760).
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { InMemoryTransport } from "@modelcontextprotocol/server";
import { startLocalHub } from "../scripts/local-hub.mjs";

const CALLS = Number(process.env.BENCH_CALLS ?? 400);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 50);
const BASE = Number(process.env.BENCH_PORT ?? 3760);
const [HUB_PORT, REPLAY_PORT, EVERYTHING_PORT] = [BASE, BASE + 1, BASE + 2];
const HUB = `http://localhost:${HUB_PORT}`;

const children: ChildProcess[] = [];
function start(command: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(command, args, {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      ...env,
    } as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "ignore", "ignore"],
    detached: true,
  });
  children.push(child);
  return child;
}
function stopAll() {
  for (const child of children) {
    try {
      if (child.pid) process.kill(-child.pid, "SIGTERM");
    } catch {
      // gone
    }
  }
}
process.on("exit", stopAll);
process.on("SIGINT", () => process.exit(130));

async function waitFor(url: string, ms = 60_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const response = await fetch(url, { method: url.endsWith("/mcp") ? "POST" : "GET" });
      if (response.status < 500) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up`);
}

/** Resident memory of a process and all its descendants, in MB. */
function treeRssMb(root: number): number {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // exited
    }
  }
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parents)
      if (tree.has(ppid) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
  }
  let kb = 0;
  for (const pid of tree) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // exited
    }
  }
  return kb / 1024;
}

async function connect(key: string): Promise<Client> {
  const client = new Client({ name: "bench", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${HUB}/api/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${key}` } },
    }),
  );
  return client;
}

type Target = { label: string; tool: string; args: Record<string, unknown> };

async function callOnce(client: Client, target: Target) {
  const result = await client.callTool({ name: target.tool, arguments: target.args });
  if (result.isError) throw new Error(`${target.tool}: ${JSON.stringify(result.content)}`);
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

async function latency(client: Client, target: Target) {
  for (let i = 0; i < 50; i++) await callOnce(client, target);
  const times: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const started = performance.now();
    await callOnce(client, target);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99) };
}

async function throughput(clients: Client[], target: Target) {
  const until = performance.now() + SECONDS * 1000;
  let calls = 0;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < until) {
        await callOnce(client, target);
        calls++;
      }
    }),
  );
  return calls / SECONDS;
}

/**
 * The heap one person's built-in server costs: PEOPLE servers built in this process, each connected
 * to a client and called once (so schemas and validators exist), measured after garbage collection.
 */
async function heapPerPerson(): Promise<number> {
  setFlagsFromString("--expose_gc");
  const gc = runInNewContext("gc") as () => void;
  const { createBuiltinServer } = await import("@/lib/builtin");
  const build = async (i: number) => {
    const server = createBuiltinServer("github", `bench-token-${i}`, `bench-person-${i}`);
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: "bench", version: "1.0.0" });
    await client.connect(clientSide);
    await client.listTools();
    await client.callTool({ name: "get_repository", arguments: { owner: "octocat", repo: "Hello-World" } });
    return client;
  };
  await build(-1); // loads modules and compiles what is shared
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = [];
  for (let i = 0; i < PEOPLE; i++) kept.push(await build(i));
  gc();
  const after = process.memoryUsage().heapUsed;
  await Promise.all(kept.map((c) => c.close()));
  return (after - before) / PEOPLE / 1024;
}

async function main() {
  if (!existsSync(".next/BUILD_ID")) throw new Error("No production build: run `npx next build` first");
  start(process.execPath, ["tests/fixtures/replay/server.mjs"], { PORT: String(REPLAY_PORT) });
  start(
    process.execPath,
    ["node_modules/@modelcontextprotocol/server-everything/dist/index.js", "streamableHttp"],
    {
      PORT: String(EVERYTHING_PORT),
    },
  );
  const hub = await startLocalHub({
    port: HUB_PORT,
    label: "bench-builtin",
    env: { GITHUB_API_URL: `http://127.0.0.1:${REPLAY_PORT}/github`, LOG_LEVEL: "warn" },
  });
  const api = hub.api;
  try {
    await waitFor(`http://127.0.0.1:${REPLAY_PORT}/__requests?token=none`);
    await waitFor(`http://127.0.0.1:${EVERYTHING_PORT}/mcp`);

    await api("POST", "/api/v1/servers", {
      name: "github",
      type: "builtin",
      builtin: "github",
      toolPrefix: "gh",
    });
    await api("POST", "/api/v1/servers", {
      name: "everything",
      type: "streamable-http",
      url: `http://127.0.0.1:${EVERYTHING_PORT}/mcp`,
      toolPrefix: "ev",
    });
    await api("POST", "/api/v1/groups", {
      name: "bench",
      servers: ["github", "everything"],
      visibility: "public",
    });
    const person = async (i: number) => {
      const user = await api("POST", "/api/v1/users", { email: `bench-${i}@mcphub.test`, role: "user" });
      const { key } = await api("POST", `/api/v1/users/${user.id}/keys`, { name: "bench" });
      await api("PUT", "/api/v1/me/groups/bench", { active: true }, key);
      await api("PUT", "/api/v1/me/credentials/GITHUB_TOKEN", { value: `bench-token-${i}` }, key);
      return key as string;
    };
    const key = await person(0);
    const clients = await Promise.all(Array.from({ length: CLIENTS }, () => connect(key)));
    const [first] = clients;
    if (!first) throw new Error("BENCH_CLIENTS must be at least 1");

    const builtin: Target = {
      label: "built-in GitHub get_repository",
      tool: "gh-get_repository",
      args: { owner: "octocat", repo: "Hello-World" },
    };
    const remote: Target = {
      label: "remote streamable-http echo",
      tool: "ev-echo",
      args: { message: "hello" },
    };
    const rows: Array<{ target: Target; p50: number; p95: number; p99: number; rps: number }> = [];
    const memoryBefore = treeRssMb(hub.pid as number);
    for (const target of [remote, builtin]) {
      const lat = await latency(first, target);
      const rps = await throughput(clients, target);
      rows.push({ target, ...lat, rps });
    }
    const memoryAfter = treeRssMb(hub.pid as number);

    // Per-person cost: each person's first call builds their own in-process GitHub server.
    const keys = await Promise.all(Array.from({ length: PEOPLE }, (_, i) => person(i + 1)));
    const beforePeople = treeRssMb(hub.pid as number);
    for (const k of keys) {
      const client = await connect(k);
      await callOnce(client, builtin);
      await client.close();
    }
    const afterPeople = treeRssMb(hub.pid as number);
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    process.env.GITHUB_API_URL = `http://127.0.0.1:${REPLAY_PORT}/github`;
    const heapKb = await heapPerPerson();

    const fmt = (n: number) => n.toFixed(2).padStart(8);
    console.log(
      `\nMCPHub tools/call through /api/mcp (SDK v2 client, ${CALLS} sequential calls, ${SECONDS} s at ${CLIENTS} clients)\n`,
    );
    console.log(`${"target".padEnd(34)}  p50 ms   p95 ms   p99 ms   calls/s`);
    for (const r of rows)
      console.log(
        `${r.target.label.padEnd(34)}${fmt(r.p50)} ${fmt(r.p95)} ${fmt(r.p99)} ${r.rps.toFixed(0).padStart(8)}`,
      );
    const [ev, gh] = rows;
    if (ev && gh) {
      console.log(
        `\nbuilt-in / remote: p50 ${(gh.p50 / ev.p50).toFixed(2)}x, p99 ${(gh.p99 / ev.p99).toFixed(2)}x, throughput ${(gh.rps / ev.rps).toFixed(2)}x`,
      );
    }
    console.log(
      `hub memory (process tree RSS): ${memoryBefore.toFixed(0)} MB before, ${memoryAfter.toFixed(0)} MB after both runs; ` +
        `${PEOPLE} more people each calling once: +${(afterPeople - beforePeople).toFixed(1)} MB (${(((afterPeople - beforePeople) * 1024) / PEOPLE).toFixed(0)} KB per person)`,
    );
    console.log(
      `one person's built-in GitHub server (in-process, after GC, ${PEOPLE} built): ${heapKb.toFixed(0)} KB of heap each`,
    );
  } finally {
    stopAll();
    await hub.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
