import { randomBytes, randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { HUB_PORT } from "../support/env";
import { apiOk, mcpRaw, rpc } from "../support/mcp";
import { createScratchDatabase } from "../support/postgres";
import { alive, PROBE_SERVER, processesOf } from "../support/processes";
import { type SpawnedHub, spawnHub } from "../support/spawn-hub";

// Two instances on one PostgreSQL database; one is killed with SIGKILL (no shutdown handler runs)
// while clients keep calling the other. The survivor serves every call, and the isolated process
// lease the dead instance held is taken over once it is stale (lib/processes/lease.ts: 30 s
// without a heartbeat), so the person gets their process back on the survivor without anyone
// stepping in. Until then their call says the process is still held elsewhere.

test.describe.configure({ mode: "serial", timeout: 180_000 });

const ADMIN_KEY = `mcphub_${randomBytes(32).toString("base64url")}`;
const shared = {
  AUTH_SECRET: randomBytes(32).toString("base64"),
  MCPHUB_SECRET_KEY: randomBytes(32).toString("base64"),
  MCPHUB_ADMIN_EMAIL: "admin@instances.test",
  MCPHUB_ADMIN_PASSWORD: randomBytes(18).toString("base64url"),
  MCPHUB_ADMIN_API_KEY: ADMIN_KEY,
};

let database: { url: string; drop: () => Promise<void> };
let hubA: SpawnedHub;
let hubB: SpawnedHub;

test.beforeAll(async () => {
  database = await createScratchDatabase("faultsinst");
  hubA = await spawnHub({
    label: "faults-a",
    port: HUB_PORT + 75,
    databaseUrl: database.url,
    env: { ...shared, MCPHUB_INSTANCE_ID: "hub-a" },
  });
  hubB = await spawnHub({
    label: "faults-b",
    port: HUB_PORT + 76,
    databaseUrl: database.url,
    env: { ...shared, MCPHUB_INSTANCE_ID: "hub-b" },
  });
});

test.afterAll(async () => {
  await Promise.all([hubA?.stop(), hubB?.stop()]);
  await database?.drop();
});

test("an instance killed while clients call the other: zero failed calls, and its process lease is taken over", async () => {
  const suffix = randomUUID().slice(0, 6);
  const echo = `echo${suffix}`;
  const probe = `probe${suffix}`;
  const group = `inst${suffix}`;
  const admin = { baseUrl: hubA.url, key: ADMIN_KEY };
  await apiOk("POST", "/api/v1/servers", {
    ...admin,
    body: {
      name: echo,
      type: "stdio",
      command: "node",
      args: ["tests/fixtures/servers/fault-server.mjs", "stdio"],
      isolation: "none",
    },
  });
  await apiOk("POST", "/api/v1/servers", { ...admin, body: { name: probe, ...PROBE_SERVER } });
  await apiOk("POST", "/api/v1/groups", {
    ...admin,
    body: { name: group, servers: [echo, probe], visibility: "public" },
  });
  await apiOk("POST", "/api/v1/groups", {
    ...admin,
    body: { name: `${group}load`, servers: [echo], visibility: "public" },
  });
  const personIn = async (label: string, joined: string) => {
    const email = `${label}-${suffix}@instances.test`;
    const user = await apiOk("POST", "/api/v1/users", { ...admin, body: { email, role: "user" } });
    const { key } = await apiOk("POST", `/api/v1/users/${user.id}/keys`, {
      ...admin,
      body: { name: "laptop" },
    });
    await apiOk("PUT", `/api/v1/me/groups/${joined}`, { baseUrl: hubA.url, key, body: { active: true } });
    return { email, key };
  };
  // The person with the isolated process, and the clients calling the survivor: listing a
  // person's tools on B would start their process there, so the load is someone else's.
  const owner = await personIn("owner", group);
  const loader = await personIn("loader", `${group}load`);
  const email = loader.email;

  const call = (hub: SpawnedHub, name: string, args: Record<string, unknown> = {}, key = owner.key) =>
    mcpRaw("/api/mcp", rpc("tools/call", { name, arguments: args }), { key, baseUrl: hub.url });

  // The person's isolated process runs on A, which holds its lease.
  const first = await call(hubA, `${probe}-whoami`);
  expect(first.message?.result?.isError, first.text).toBeFalsy();
  const [onA] = (await processesOf(probe, { url: hubA.url, key: ADMIN_KEY })).filter(
    (p) => p.state === "running",
  );
  expect(onA?.pid).toBeGreaterThan(0);

  // Clients keep calling B the whole time.
  const outcomes: Array<{ ok: boolean; text: string; requestId: string | null }> = [];
  let running = true;
  const loops = [0, 1, 2, 3].map(async (loop) => {
    for (let i = 0; running; i++) {
      const answer = await call(hubB, `${echo}-echo`, { message: `${loop}-${i}` }, loader.key);
      const result = answer.message?.result;
      outcomes.push({
        ok:
          answer.status === 200 &&
          result?.isError !== true &&
          result?.content?.[0]?.text === `echo: ${loop}-${i}`,
        text: answer.text.slice(0, 300),
        requestId: answer.headers.get("x-request-id"),
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
  let takeoverMs = 0;
  const refusals: string[] = [];
  try {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const killedAt = performance.now();
    process.kill(-hubA.pid, "SIGKILL"); // the whole `next start` process group, as a crashed machine would lose it
    await expect.poll(() => alive(hubA.pid), { timeout: 5_000 }).toBe(false);
    // Nothing of A's outlives it: the person's isolated process (in a process group of its own, so
    // the group kill above did not reach it) is ended by the spawner when A's channel closes.
    await expect.poll(() => alive(onA?.pid as number), { timeout: 5_000 }).toBe(false);

    // The person moves to B. While A's lease is fresh, B cannot know A is gone: the call says so.
    await expect
      .poll(
        async () => {
          const answer = await call(hubB, `${probe}-whoami`);
          const result = answer.message?.result;
          if (result?.isError) refusals.push(result.content?.[0]?.text ?? "");
          return answer.status === 200 && result !== undefined && !result.isError;
        },
        { timeout: 70_000, intervals: [1_000] },
      )
      .toBe(true);
    takeoverMs = Math.round(performance.now() - killedAt);
  } finally {
    running = false;
    await Promise.all(loops);
  }
  for (const refusal of refusals)
    expect(refusal).toMatch(
      new RegExp(`^${probe}: Your process of ${probe} is still running on another instance`),
    );
  // A's heartbeat was at most 10 s old when it died; the lease is stale 30 s after it.
  expect(takeoverMs).toBeLessThan(50_000);
  const [onB] = (await processesOf(probe, { url: hubB.url, key: ADMIN_KEY })).filter(
    (p) => p.state === "running",
  );
  expect(onB?.pid).toBeGreaterThan(0);
  test.info().annotations.push(
    {
      type: "lease taken over",
      description: `${takeoverMs} ms after the kill (${refusals.length} refused tries)`,
    },
    { type: "calls on the survivor", description: `${outcomes.length}` },
  );

  // Zero failed calls on the survivor, and each of them is in the call log.
  expect(outcomes.length).toBeGreaterThan(50);
  expect(outcomes.filter((o) => !o.ok)).toEqual([]);
  const ids = new Set(outcomes.map((o) => o.requestId));
  await expect
    .poll(async () => {
      let count = 0;
      let cursor: string | undefined;
      do {
        const page = await apiOk(
          "GET",
          `/api/v1/audit?user=${encodeURIComponent(email)}&tool=echo&limit=1000${cursor ? `&cursor=${cursor}` : ""}`,
          { baseUrl: hubB.url, key: ADMIN_KEY },
        );
        count += (page.calls as Array<{ requestId: string }>).filter((r) => ids.has(r.requestId)).length;
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return count;
    })
    .toBe(ids.size);
});
