// npm run bench:load - many people calling tools through two hub instances on one PostgreSQL
// database, for a fixed time, on loopback. Each simulated person has their own key and their own
// credential; every answer is checked to be theirs. Prints (and writes to
// tests/.artifacts/bench-load.md) calls, failures, answers with another person's data, latency
// percentiles per minute, and each instance's memory over time.
//   LOAD_PEOPLE (200)  LOAD_SECONDS (300)  BENCH_PORT_BASE (3760)  DATABASE_SERVER (postgres://postgres@127.0.0.1:5432)
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT, startLocalHub } from "../scripts/local-hub.mjs";
import { createScratchDatabase, DEFAULT_DATABASE_SERVER } from "./scratch-database";

const PEOPLE = Number(process.env.LOAD_PEOPLE ?? 200);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 300);
const BASE = Number(process.env.BENCH_PORT_BASE ?? 3760);
const SERVER_URL = process.env.DATABASE_SERVER ?? DEFAULT_DATABASE_SERVER;
const CALL_TIMEOUT_MS = 60_000;

type Person = { email: string; key: string; token: string };
type Hub = Awaited<ReturnType<typeof startLocalHub>>;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** RSS in MB of every process in one process group (a hub and what it forks, not its upstreams). */
function groupRss(groupId: number, skip: RegExp): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== groupId) continue;
      if (skip.test(readFileSync(`/proc/${entry}/cmdline`, "utf8"))) continue;
      const status = readFileSync(`/proc/${entry}/status`, "utf8");
      total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    } catch {
      // the process ended while we looked
    }
  }
  return total;
}

type RpcAnswer = { result?: { isError?: boolean; content?: Array<{ text?: string }> } };

async function rpc(hub: Hub, key: string, body: object): Promise<{ status: number; json: RpcAnswer | null }> {
  const response = await fetch(`${hub.url}/api/mcp`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${key}`,
      "Content-Type": "application/json",
      Accept: "application/json, text/event-stream",
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
  });
  const text = await response.text();
  // A 2025-11-25 request without a session is answered as JSON (enableJsonResponse).
  return { status: response.status, json: text.startsWith("{") ? JSON.parse(text) : null };
}

function startFixture(port: number): Promise<ChildProcess> {
  const child: ChildProcess = spawn(process.execPath, ["tests/fixtures/servers/header-echo.mjs"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", PORT: String(port) } as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("header-echo did not start")), 10_000);
    const ready = (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on("data", ready);
    child.stderr?.on("data", ready);
  });
}

async function main() {
  const database = await createScratchDatabase(SERVER_URL, "load");
  const shared = { ...database.env, LOG_LEVEL: "warn" };
  const fixture = await startFixture(BASE + 9);
  const hubs: Hub[] = [];
  try {
    hubs.push(
      await startLocalHub({ port: BASE, label: "load-a", env: { ...shared, MCPHUB_INSTANCE_ID: "hub-a" } }),
    );
    hubs.push(
      await startLocalHub({
        port: BASE + 1,
        label: "load-b",
        env: { ...shared, MCPHUB_INSTANCE_ID: "hub-b" },
      }),
    );
    const [hubA] = hubs as [Hub, Hub];
    await hubA.api("POST", "/api/v1/servers", {
      name: "echo",
      type: "streamable-http",
      url: `http://127.0.0.1:${BASE + 9}/mcp`,
      headers: { Authorization: "Bearer ${USER_SVC_TOKEN}" },
    });
    await hubA.api("POST", "/api/v1/servers", {
      name: "everything",
      type: "stdio",
      command: process.execPath,
      args: ["node_modules/@modelcontextprotocol/server-everything/dist/index.js", "stdio"],
      isolation: "none",
    });
    await hubA.api("POST", "/api/v1/groups", {
      name: "load",
      servers: ["echo", "everything"],
      visibility: "public",
    });

    console.log(`Creating ${PEOPLE} people, each with a key and a credential of their own…`);
    const people: Person[] = [];
    for (let i = 0; i < PEOPLE; i++) {
      const hub = hubs[i % 2] as Hub;
      const email = `load-${i}-${randomBytes(3).toString("hex")}@load.test`;
      const user = await hub.api("POST", "/api/v1/users", { email, role: "user" });
      const { key } = await hub.api("POST", `/api/v1/users/${user.id}/keys`, { name: "load" });
      const token = `load-token-${i}-${randomBytes(12).toString("hex")}`;
      for (const [method, route, body] of [
        ["PUT", "/api/v1/me/credentials/SVC_TOKEN", { value: token }],
        ["PUT", "/api/v1/me/groups/load", { active: true }],
      ] as const) {
        const answer = await fetch(`${hub.url}${route}`, {
          method,
          headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
          body: JSON.stringify(body),
        });
        if (!answer.ok) throw new Error(`${route} answered ${answer.status}: ${await answer.text()}`);
      }
      people.push({ email, key, token });
    }

    const started = performance.now();
    const end = started + SECONDS * 1000;
    const minuteOf = () => Math.floor((performance.now() - started) / 60_000);
    const latencies = new Map<number, number[]>();
    const failures: string[] = [];
    let calls = 0;
    let crossed = 0;
    const memory: Array<{ second: number; mb: number[] }> = [];
    const sampleMemory = () =>
      memory.push({
        second: Math.round((performance.now() - started) / 1000),
        mb: hubs.map((hub) => groupRss(hub.pid as number, /header-echo|server-everything/)),
      });
    sampleMemory();
    const sampler = setInterval(sampleMemory, 10_000);

    console.log(`${PEOPLE} people calling through two instances for ${SECONDS} s…`);
    await Promise.all(
      people.map(async (person, index) => {
        let turn = index;
        while (performance.now() < end) {
          const hub = hubs[turn % 2] as Hub;
          const whoami = turn % 2 === 0;
          turn++;
          const nonce = randomBytes(6).toString("hex");
          const t0 = performance.now();
          try {
            const answer = await rpc(hub, person.key, {
              jsonrpc: "2.0",
              id: turn,
              method: "tools/call",
              params: whoami
                ? { name: "echo-whoami", arguments: {} }
                : { name: "everything-echo", arguments: { message: nonce } },
            });
            const ms = performance.now() - t0;
            calls++;
            const text: string | undefined = answer.json?.result?.content?.[0]?.text;
            if (answer.status !== 200 || answer.json?.result?.isError || text === undefined) {
              failures.push(
                `${person.email} via ${hub.url}: ${answer.status} ${JSON.stringify(answer.json)}`.slice(
                  0,
                  300,
                ),
              );
              continue;
            }
            const theirs = whoami
              ? (JSON.parse(text) as { authorization: string }).authorization === `Bearer ${person.token}`
              : text === `Echo: ${nonce}`;
            if (!theirs) crossed++;
            const bucket = latencies.get(minuteOf()) ?? [];
            bucket.push(ms);
            latencies.set(minuteOf(), bucket);
          } catch (error) {
            calls++;
            failures.push(
              `${person.email} via ${hub.url}: ${error instanceof Error ? error.message : String(error)}`,
            );
          }
        }
      }),
    );
    clearInterval(sampler);
    sampleMemory();
    const elapsed = (performance.now() - started) / 1000;

    const all = [...latencies.values()].flat().sort((a, b) => a - b);
    const lines = [
      `## Load: ${PEOPLE} people, two instances, ${SECONDS} s`,
      "",
      `Command: \`LOAD_PEOPLE=${PEOPLE} LOAD_SECONDS=${SECONDS} npm run bench:load\` on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
      "Each person: a key and an SVC_TOKEN credential of their own, stateless 2025-11-25 requests alternating between the instances, every other call a `whoami` on a remote streamable-HTTP upstream that echoes the Authorization header it got (checked against the person's own token) and the others `echo` on a shared server-everything (checked against a nonce).",
      "",
      `| calls | failed | answered with another person's data | calls/s | p50 | p95 | p99 | max |`,
      "| --- | --- | --- | --- | --- | --- | --- | --- |",
      `| ${calls} | ${failures.length} | ${crossed} | ${(calls / elapsed).toFixed(0)} | ${percentile(all, 50).toFixed(1)} ms | ${percentile(all, 95).toFixed(1)} ms | ${percentile(all, 99).toFixed(1)} ms | ${(all.at(-1) ?? 0).toFixed(0)} ms |`,
      "",
      "Per minute (latency of successful calls):",
      "",
      "| minute | calls | p50 | p99 |",
      "| --- | --- | --- | --- |",
      ...[...latencies.entries()]
        .sort(([a], [b]) => a - b)
        .map(([minute, values]) => {
          const sorted = values.sort((a, b) => a - b);
          return `| ${minute + 1} | ${sorted.length} | ${percentile(sorted, 50).toFixed(1)} ms | ${percentile(sorted, 99).toFixed(1)} ms |`;
        }),
      "",
      `Memory (RSS of each instance's process group, MB): at start ${memory[0]?.mb.map((m) => m.toFixed(0)).join(" / ")}, after ${memory.at(-1)?.second} s ${memory
        .at(-1)
        ?.mb.map((m) => m.toFixed(0))
        .join(
          " / ",
        )}; samples every 10 s: ${memory.map((m) => `${m.second}s ${m.mb.map((v) => v.toFixed(0)).join("/")}`).join(", ")}.`,
      ...(failures.length > 0
        ? ["", "First failures:", "", ...failures.slice(0, 10).map((f) => `- ${f}`)]
        : []),
      "",
    ];
    const report = lines.join("\n");
    console.log(`\n${report}`);
    mkdirSync(path.join(ROOT, "tests/.artifacts"), { recursive: true });
    writeFileSync(path.join(ROOT, "tests/.artifacts/bench-load.md"), report);
    process.exitCode = failures.length === 0 && crossed === 0 ? 0 : 1;
  } finally {
    await Promise.all(hubs.map((hub) => hub.stop()));
    try {
      process.kill(-(fixture.pid as number), "SIGTERM");
    } catch {}
    await database.drop();
  }
}

void main();
