import { randomBytes, randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { HUB_PORT } from "../support/env";
import { type Answer, api, apiOk, createPerson, mcpRaw, type Person, rpc } from "../support/mcp";
import { createScratchDatabase } from "../support/postgres";
import { type SpawnedHub, spawnHub } from "../support/spawn-hub";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";

// PostgreSQL goes away under load and comes back. A hub of its own reaches a scratch database
// through a TCP proxy the test cuts (a restart: connections reset, then refused) and blackholes
// (no byte moves). While the database is out of reach, requests that need it are answered 503 with
// Retry-After and a sentence saying to retry, never a bare 500; keys looked up recently keep
// authenticating; once the proxy forwards again the same hub serves again, and every call that
// completed, before or during the outage, is in the call log.

test.describe.configure({ mode: "serial", timeout: 120_000 });

const DB_MESSAGE = "The hub cannot reach its database right now; retry in a few seconds";
const ADMIN_KEY = `mcphub_${randomBytes(32).toString("base64url")}`;
const PROXY_PORT = HUB_PORT + 70;
const SPAWNED_PORT = HUB_PORT + 71;

let database: { url: string; drop: () => Promise<void> };
let proxy: TcpProxy;
let hub: SpawnedHub;
let group = "";
let server = "";

type Outcome = {
  at: number;
  status: number;
  kind: "ok" | "tool_error" | "rpc_error" | "http_error";
  message: string;
  requestId: string | null;
  retryAfter: string | null;
};

/** A person with a key; `join` uses the key (the hub then has it cached) to activate the group. */
function personWithKey(label: string, join = true): Promise<Person> {
  return createPerson(label, { hub: { url: hub.url, adminKey: ADMIN_KEY }, join: join ? group : undefined });
}

async function callTool(who: Person, name: string, args: Record<string, unknown>): Promise<Outcome> {
  const at = performance.now();
  let answer: Answer;
  try {
    answer = await mcpRaw("/api/mcp", rpc("tools/call", { name, arguments: args }), {
      key: who.key,
      baseUrl: hub.url,
    });
  } catch (error) {
    return { at, status: 0, kind: "http_error", message: String(error), requestId: null, retryAfter: null };
  }
  const base = {
    at,
    status: answer.status,
    requestId: answer.headers.get("x-request-id"),
    retryAfter: answer.headers.get("retry-after"),
  };
  const result = answer.message?.result;
  if (result)
    return { ...base, kind: result.isError ? "tool_error" : "ok", message: result.content?.[0]?.text ?? "" };
  if (answer.message?.error) return { ...base, kind: "rpc_error", message: answer.message.error.message };
  return { ...base, kind: "http_error", message: answer.text };
}

test.beforeAll(async () => {
  database = await createScratchDatabase("faultsdb");
  const target = new URL(database.url);
  proxy = await startTcpProxy({
    port: PROXY_PORT,
    target: { host: target.hostname, port: Number(target.port || 5432) },
  });
  const proxied = new URL(database.url);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(PROXY_PORT);
  hub = await spawnHub({
    label: "faults-db",
    port: SPAWNED_PORT,
    databaseUrl: proxied.toString(),
    env: {
      AUTH_SECRET: randomBytes(32).toString("base64"),
      MCPHUB_SECRET_KEY: randomBytes(32).toString("base64"),
      MCPHUB_ADMIN_EMAIL: "admin@faults.test",
      MCPHUB_ADMIN_PASSWORD: randomBytes(18).toString("base64url"),
      MCPHUB_ADMIN_API_KEY: ADMIN_KEY,
    },
  });
  const suffix = randomUUID().slice(0, 6);
  server = `fault${suffix}`;
  group = `faultsdb${suffix}`;
  await apiOk("POST", "/api/v1/servers", {
    baseUrl: hub.url,
    key: ADMIN_KEY,
    body: {
      name: server,
      type: "stdio",
      command: "node",
      args: ["tests/fixtures/servers/fault-server.mjs", "stdio"],
      isolation: "none",
    },
  });
  await apiOk("POST", "/api/v1/groups", {
    baseUrl: hub.url,
    key: ADMIN_KEY,
    body: { name: group, servers: [server], visibility: "public" },
  });
});

test.afterAll(async () => {
  await hub?.stop();
  await proxy?.close();
  await database?.drop();
});

test("PostgreSQL cut and blackholed under load: 503 with Retry-After, then the same hub serves again and the call log is whole", async () => {
  const caller = await personWithKey("loaded");
  // Keys never looked up by this hub before the outage: nothing cached for them.
  const fresh = await personWithKey("fresh", false);
  const freshRest = await personWithKey("fresh-rest", false);
  const blackholed = await personWithKey("blackholed", false);

  const outcomes: Outcome[] = [];
  let running = true;
  const loops = [0, 1, 2].map(async (loop) => {
    for (let i = 0; running; i++) {
      outcomes.push(await callTool(caller, `${server}-echo`, { message: `${loop}-${i}` }));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  try {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const before = outcomes.length;
    expect(before).toBeGreaterThan(5);
    expect(outcomes.filter((o) => o.kind !== "ok")).toEqual([]);

    // A call in flight when the database goes: it completes during the outage, so its call-log
    // row can only be written by a retried batch.
    const inFlight = callTool(caller, `${server}-slow`, { ms: 2_500 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const droppedAt = performance.now();
    await proxy.drop();

    // A key nobody looked up recently: 503, a JSON-RPC error, and when to retry.
    const started = performance.now();
    const refused = await mcpRaw("/api/mcp", rpc("tools/list"), { key: fresh.key, baseUrl: hub.url });
    const failMs = Math.round(performance.now() - started);
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("5");
    expect(refused.message).toEqual({
      jsonrpc: "2.0",
      id: null,
      error: { code: -32000, message: DB_MESSAGE },
    });
    expect(failMs).toBeLessThan(2_000);
    test.info().annotations.push({ type: "fail database cut (MCP)", description: `${failMs} ms` });

    // The REST API answers the same way in its own error shape.
    const rest = await api("GET", "/api/v1/me", { baseUrl: hub.url, key: freshRest.key });
    expect(rest.status).toBe(503);
    expect(rest.headers.get("retry-after")).toBe("5");
    expect(rest.body).toEqual({ error: { code: "unavailable", message: DB_MESSAGE } });

    const slow = await inFlight;
    expect(slow.kind, slow.message).toBe("ok");
    expect(slow.message).toBe("slept 2500 ms");
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 5_000 - (performance.now() - droppedAt))));
    const during = outcomes.slice(before).filter((o) => o.at >= droppedAt);
    expect(during.length).toBeGreaterThan(5);
    // The cached caller is still authenticated; what needs the database says to retry. Never a 500 or a 401.
    for (const outcome of during) {
      if (outcome.kind === "ok") continue;
      expect(outcome.message, JSON.stringify(outcome)).toBe(DB_MESSAGE);
      expect([200, 503]).toContain(outcome.status);
    }
    expect(during.some((o) => o.kind !== "ok")).toBe(true);

    // The database is back: the same hub serves again, without a restart.
    const resumedAt = performance.now();
    await proxy.resume();
    await expect
      .poll(
        async () =>
          (await mcpRaw("/api/mcp", rpc("tools/list"), { key: fresh.key, baseUrl: hub.url })).status,
        {
          timeout: 15_000,
          intervals: [100],
        },
      )
      .toBe(200);
    const recoverMs = Math.round(performance.now() - resumedAt);
    test.info().annotations.push({
      type: "recover database cut",
      description: `${recoverMs} ms after the proxy forwarded again`,
    });
    const recovered = outcomes.length;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(outcomes.slice(recovered + 3).filter((o) => o.kind !== "ok")).toEqual([]);

    // Blackholed: connections stay open and silent. A key lookup gives up after its deadline.
    proxy.pause();
    const pausedAt = performance.now();
    const silent = await mcpRaw("/api/mcp", rpc("tools/list"), { key: blackholed.key, baseUrl: hub.url });
    const silentMs = Math.round(performance.now() - pausedAt);
    expect(silent.status).toBe(503);
    expect(silent.message.error.message).toBe(DB_MESSAGE);
    expect(silentMs).toBeLessThan(5_000);
    test.info().annotations.push({ type: "fail database blackholed (MCP)", description: `${silentMs} ms` });
    await proxy.resume();
    await expect
      .poll(
        async () =>
          (await mcpRaw("/api/mcp", rpc("tools/list"), { key: blackholed.key, baseUrl: hub.url })).status,
        {
          timeout: 15_000,
          intervals: [100],
        },
      )
      .toBe(200);
    test.info().annotations.push({
      type: "recover database blackholed",
      description: `${Math.round(performance.now() - pausedAt - silentMs)} ms after the proxy forwarded again`,
    });
  } finally {
    running = false;
    await Promise.all(loops);
  }
  expect(outcomes.filter((o) => o.status === 500 || o.status === 401 || o.kind === "http_error")).toEqual([]);

  // Every call that completed (before, during, after) has its row: the batch written while the
  // database was away was retried, not dropped.
  const completed = outcomes.filter((o) => o.kind === "ok").map((o) => o.requestId);
  expect(completed.length).toBeGreaterThan(20);
  await expect
    .poll(
      async () => {
        const body = await apiOk("GET", `/api/v1/audit?user=${encodeURIComponent(caller.email)}&limit=1000`, {
          baseUrl: hub.url,
          key: ADMIN_KEY,
        });
        const logged = new Set(
          (body.calls as Array<{ requestId: string; status: string }>).map((r) => r.requestId),
        );
        return completed.filter((id) => !logged.has(id as string)).length;
      },
      { timeout: 15_000 },
    )
    .toBe(0);
  const rows = await apiOk("GET", `/api/v1/audit?user=${encodeURIComponent(caller.email)}&limit=1000`, {
    baseUrl: hub.url,
    key: ADMIN_KEY,
  });
  expect(
    rows.calls.some((r: { tool: string; status: string }) => r.tool === "slow" && r.status === "ok"),
  ).toBe(true);
  test
    .info()
    .annotations.push({ type: "calls", description: `${outcomes.length} calls, ${completed.length} ok` });
});
