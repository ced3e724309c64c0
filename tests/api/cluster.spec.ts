import type { ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import net, { type AddressInfo } from "node:net";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { type AffinityRouter, startAffinityRouter } from "../support/affinity-router";
import { startFixture, stopFixture } from "../support/fixtures";
import {
  api,
  apiOk,
  createPerson,
  EVERYTHING_STDIO,
  initializeRequest,
  LATEST_LEGACY_VERSION,
  MODERN_VERSION,
  mcpRaw,
  modernMeta,
  type Person,
  rpc,
} from "../support/mcp";
import { createScratchDatabase } from "../support/postgres";
import { PROBE_SERVER, processesOf } from "../support/processes";
import { type SpawnedHub, spawnHub } from "../support/spawn-hub";

// Two `next start` instances on one PostgreSQL database behave as one hub: what one changes is in
// force on the other within two seconds, stateless requests work on either, and a 2025-11-25
// session stays on its instance when the load balancer follows the session id's prefix.
// This file always runs against PostgreSQL (instances cannot share the embedded database).

test.describe.configure({ mode: "serial", timeout: 180_000 });

const ADMIN_KEY = `mcphub_${randomBytes(32).toString("base64url")}`;
const shared = {
  AUTH_SECRET: randomBytes(32).toString("base64"),
  MCPHUB_SECRET_KEY: randomBytes(32).toString("base64"),
  MCPHUB_ADMIN_EMAIL: "admin@cluster.test",
  MCPHUB_ADMIN_PASSWORD: randomBytes(18).toString("base64url"),
  MCPHUB_ADMIN_API_KEY: ADMIN_KEY,
};
const WITHIN_MS = 2_000;

let database: { url: string; drop: () => Promise<void> };
let hubA: SpawnedHub;
let hubB: SpawnedHub;
let echoFixture: ChildProcess | undefined;
let echoServer = "";
let everything = "";
let group = "";

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function personOn(hub: SpawnedHub, label: string): Promise<Person> {
  return createPerson(label, { hub: { url: hub.url, adminKey: ADMIN_KEY }, join: group });
}

/** A stateless 2025-11-25 request (no session) to one instance. */
function call(hub: SpawnedHub, key: string, method: string, params: Record<string, unknown> = {}) {
  return mcpRaw("/api/mcp", rpc(method, params), { key, baseUrl: hub.url });
}

async function toolNames(hub: SpawnedHub, key: string): Promise<string[]> {
  const answer = await call(hub, key, "tools/list");
  return ((answer.message?.result?.tools ?? []) as Array<{ name: string }>).map((t) => t.name);
}

async function whoami(hub: SpawnedHub, person: Person): Promise<string | null> {
  const answer = await call(hub, person.key, "tools/call", { name: `${echoServer}-whoami`, arguments: {} });
  const text: string | undefined = answer.message?.result?.content?.[0]?.text;
  // A call in flight while the connection is replaced ends with an error text, not the echo.
  if (!text?.startsWith("{")) return null;
  return (JSON.parse(text) as { authorization: string | null }).authorization;
}

/** Milliseconds until `probe` holds, polling every 50 ms; fails after `limitMs`. */
async function millisUntil(probe: () => Promise<boolean>, limitMs: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < limitMs) {
    if (await probe()) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`not within ${limitMs} ms`);
}

test.beforeAll(async () => {
  database = await createScratchDatabase("cluster");
  hubA = await spawnHub({
    label: "cluster-a",
    databaseUrl: database.url,
    env: { ...shared, MCPHUB_INSTANCE_ID: "hub-a" },
  });
  hubB = await spawnHub({
    label: "cluster-b",
    databaseUrl: database.url,
    env: { ...shared, MCPHUB_INSTANCE_ID: "hub-b" },
  });
  const port = await freePort();
  echoFixture = await startFixture("tests/fixtures/servers/header-echo.mjs", port);
  const suffix = randomUUID().slice(0, 6);
  echoServer = `echo${suffix}`;
  everything = `every${suffix}`;
  group = `cluster${suffix}`;
  await apiOk("POST", "/api/v1/servers", {
    baseUrl: hubA.url,
    key: ADMIN_KEY,
    body: {
      name: echoServer,
      type: "streamable-http",
      url: `http://127.0.0.1:${port}/mcp`,
      headers: { Authorization: "Bearer ${USER_SVC_TOKEN}" },
    },
  });
  await apiOk("POST", "/api/v1/servers", {
    baseUrl: hubA.url,
    key: ADMIN_KEY,
    body: { name: everything, ...EVERYTHING_STDIO, isolation: "none" },
  });
  await apiOk("POST", "/api/v1/groups", {
    baseUrl: hubA.url,
    key: ADMIN_KEY,
    body: { name: group, servers: [echoServer, everything], visibility: "public" },
  });
});

test.afterAll(async () => {
  await stopFixture(echoFixture);
  await Promise.all([hubA?.stop(), hubB?.stop()]);
  await database?.drop();
});

test("both instances report who they are and that they hear each other", async () => {
  for (const [hub, id] of [
    [hubA, "hub-a"],
    [hubB, "hub-b"],
  ] as const) {
    const health = await api("GET", "/api/health", { baseUrl: hub.url, key: null });
    expect(health.status).toBe(200);
    expect(health.body.cluster).toEqual({ instance: id, listening: true });
  }
});

test("a key revoked on one instance stops working on the other within two seconds", async () => {
  const person = await personOn(hubA, "revoked");
  expect(await toolNames(hubB, person.key)).toContain(`${everything}-echo`);
  await apiOk("DELETE", `/api/v1/me/keys/${person.keyId}`, { baseUrl: hubA.url, key: person.key });
  const ms = await millisUntil(
    async () => (await call(hubB, person.key, "tools/list")).status === 401,
    5_000,
  );
  expect(ms).toBeLessThan(WITHIN_MS);
});

test("a person disabled on one instance is refused by the other within two seconds", async () => {
  const person = await personOn(hubB, "disabled");
  expect((await call(hubA, person.key, "tools/list")).status).toBe(200);
  await apiOk("PATCH", `/api/v1/users/${person.id}`, {
    baseUrl: hubB.url,
    key: ADMIN_KEY,
    body: { disabled: true },
  });
  const ms = await millisUntil(
    async () => (await call(hubA, person.key, "tools/list")).status === 401,
    5_000,
  );
  expect(ms).toBeLessThan(WITHIN_MS);
});

test("a group's servers changed on one instance are what the other serves within two seconds", async () => {
  const person = await personOn(hubA, "grouped");
  expect(await toolNames(hubB, person.key)).toContain(`${everything}-echo`);
  await apiOk("PATCH", `/api/v1/groups/${group}`, {
    baseUrl: hubA.url,
    key: ADMIN_KEY,
    body: { servers: [echoServer] },
  });
  try {
    const ms = await millisUntil(
      async () => !(await toolNames(hubB, person.key)).includes(`${everything}-echo`),
      5_000,
    );
    expect(ms).toBeLessThan(WITHIN_MS);
    const refused = await call(hubB, person.key, "tools/call", {
      name: `${everything}-echo`,
      arguments: { message: "hi" },
    });
    expect(refused.message?.error?.message).toBe(`Unknown tool: ${everything}-echo`);
  } finally {
    await apiOk("PATCH", `/api/v1/groups/${group}`, {
      baseUrl: hubA.url,
      key: ADMIN_KEY,
      body: { servers: [echoServer, everything] },
    });
  }
});

test("a credential replaced on one instance replaces the other instance's open connection", async () => {
  // Without the bus, instance B would keep its open connection, and with it the old token, until idle.
  const person = await personOn(hubA, "relinked");
  const first = `secret-value-first-${randomUUID()}`;
  const second = `secret-value-second-${randomUUID()}`;
  await apiOk("PUT", "/api/v1/me/credentials/SVC_TOKEN", {
    baseUrl: hubA.url,
    key: person.key,
    body: { value: first },
  });
  await expect.poll(() => whoami(hubB, person), { timeout: 5_000 }).toBe(`Bearer ${first}`);
  await apiOk("PUT", "/api/v1/me/credentials/SVC_TOKEN", {
    baseUrl: hubA.url,
    key: person.key,
    body: { value: second },
  });
  const ms = await millisUntil(async () => (await whoami(hubB, person)) === `Bearer ${second}`, 5_000);
  expect(ms).toBeLessThan(WITHIN_MS);
});

test("stateless requests of both revisions are served by either instance", async () => {
  const person = await personOn(hubA, "stateless");
  for (let i = 0; i < 10; i++) {
    const hub = i % 2 === 0 ? hubA : hubB;
    const legacy = await call(hub, person.key, "tools/call", {
      name: `${everything}-echo`,
      arguments: { message: `legacy ${i}` },
    });
    expect(legacy.message?.result?.content?.[0]?.text).toBe(`Echo: legacy ${i}`);
    const modern = await mcpRaw(
      "/api/mcp",
      rpc("tools/call", {
        name: `${everything}-echo`,
        arguments: { message: `modern ${i}` },
        _meta: modernMeta(),
      }),
      {
        key: person.key,
        baseUrl: hub.url,
        headers: {
          "Mcp-Protocol-Version": MODERN_VERSION,
          "Mcp-Method": "tools/call",
          "Mcp-Name": `${everything}-echo`,
        },
      },
    );
    expect(modern.message?.result?.content?.[0]?.text).toBe(`Echo: modern ${i}`);
  }
});

test.describe("sessions behind a load balancer that follows the session id's prefix", () => {
  let router: AffinityRouter;
  test.beforeAll(async () => {
    router = await startAffinityRouter({ "hub-a": hubA.url, "hub-b": hubB.url });
  });
  test.afterAll(() => router?.close());

  test("a session id names its instance, and another instance answers it like an unknown one", async () => {
    const person = await personOn(hubA, "session");
    const opened = await mcpRaw("/api/mcp", initializeRequest(LATEST_LEGACY_VERSION), {
      key: person.key,
      baseUrl: hubA.url,
    });
    const sessionId = opened.headers.get("mcp-session-id") ?? "";
    expect(sessionId).toMatch(/^hub-a\.[A-Za-z0-9_-]{32}$/);
    const elsewhere = await mcpRaw("/api/mcp", rpc("tools/list"), {
      key: person.key,
      baseUrl: hubB.url,
      sessionId,
      headers: { "Mcp-Protocol-Version": LATEST_LEGACY_VERSION },
    });
    expect(elsewhere.status).toBe(404);
  });

  test("SDK clients keep their sessions while other requests alternate between instances", async () => {
    const person = await personOn(hubA, "balanced");
    const clients = await Promise.all(
      [0, 1, 2, 3].map(async () => {
        const client = new Client({ name: "cluster-test", version: "1.0.0" });
        const transport = new StreamableHTTPClientTransport(new URL("/api/mcp", router.url), {
          requestInit: { headers: { Authorization: `Bearer ${person.key}` } },
        });
        await client.connect(transport);
        return { client, transport };
      }),
    );
    try {
      const owners = new Set(clients.map(({ transport }) => transport.sessionId?.split(".")[0]));
      // Round-robin initializes: the four sessions live on both instances.
      expect(owners).toEqual(new Set(["hub-a", "hub-b"]));
      for (let round = 0; round < 5; round++) {
        const results = await Promise.all(
          clients.map(({ client }, i) =>
            client.callTool({ name: `${everything}-echo`, arguments: { message: `${round}-${i}` } }),
          ),
        );
        results.forEach((result, i) => {
          expect(result.isError).toBeFalsy();
          expect((result.content as Array<{ text: string }>)[0]?.text).toBe(`Echo: ${round}-${i}`);
        });
        // A stateless request in between lands on whichever instance is next.
        const stateless = await mcpRaw("/api/mcp", rpc("tools/list"), {
          key: person.key,
          baseUrl: router.url,
        });
        expect(stateless.status).toBe(200);
      }
      expect(new Set(router.routed)).toEqual(new Set(["hub-a", "hub-b"]));
    } finally {
      await Promise.all(clients.map(({ client }) => client.close()));
    }
  });
});

test("a person's isolated process runs on one instance at a time, and moves to where they call", async () => {
  const probe = `probe${randomUUID().slice(0, 6)}`;
  await apiOk("POST", "/api/v1/servers", {
    baseUrl: hubA.url,
    key: ADMIN_KEY,
    body: { name: probe, ...PROBE_SERVER },
  });
  await apiOk("PATCH", `/api/v1/groups/${group}`, {
    baseUrl: hubA.url,
    key: ADMIN_KEY,
    body: { servers: [echoServer, everything, probe] },
  });
  const person = await personOn(hubA, "isolated");
  const running = async (hub: SpawnedHub) =>
    (await processesOf(probe, { url: hub.url, key: ADMIN_KEY })).filter(
      (p) => p.userId === person.id && (p.state === "running" || p.state === "starting"),
    );
  const pidVia = async (hub: SpawnedHub) => {
    const answer = await call(hub, person.key, "tools/call", { name: `${probe}-whoami`, arguments: {} });
    const text: string = answer.message?.result?.content?.[0]?.text ?? "";
    expect(answer.message?.result?.isError, text).toBeFalsy();
    return (JSON.parse(text) as { pid: number }).pid;
  };
  try {
    // Pids as the instances' process tables see them (inside a PID namespace every probe is pid 2).
    await pidVia(hubA);
    const [onA] = await running(hubA);
    expect(onA?.pid).toBeTruthy();
    expect(await running(hubB)).toHaveLength(0);
    // B asks A to stop it, waits for the lease, then starts its own: never two at once.
    await pidVia(hubB);
    expect(await running(hubA)).toHaveLength(0);
    const [onB] = await running(hubB);
    expect(onB?.pid).toBeTruthy();
    expect(onB?.pid).not.toBe(onA?.pid);
    // Calls that keep landing on B reuse B's process.
    await pidVia(hubB);
    expect((await running(hubB)).map((p) => p.pid)).toEqual([onB?.pid]);
    // Concurrent first calls on both instances still end with one process.
    await Promise.all([pidVia(hubA), pidVia(hubB), pidVia(hubA)].map((p) => p.catch(() => 0)));
    const total = (await running(hubA)).length + (await running(hubB)).length;
    expect(total).toBe(1);
  } finally {
    await apiOk("PATCH", `/api/v1/groups/${group}`, {
      baseUrl: hubA.url,
      key: ADMIN_KEY,
      body: { servers: [echoServer, everything] },
    });
  }
});

test("a malformed notification on the cluster channel is ignored, and the hub keeps serving", async () => {
  const sql = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    for (const payload of ["not json", '{"from":"x","event":{"kind":"drop-everything"}}', '{"from":1}'])
      await sql.notify("mcphub_cluster", payload);
  } finally {
    await sql.end();
  }
  await hubB.waitForLogEntry((entry) => entry.msg === "ignored a malformed cluster notification");
  const person = await personOn(hubB, "after-noise");
  expect(await toolNames(hubB, person.key)).toContain(`${everything}-echo`);
});
