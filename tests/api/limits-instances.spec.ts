import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { RespClient } from "@/lib/limits/resp";
import { HUB_PORT } from "../support/env";
import {
  type Answer,
  api,
  apiOk,
  createPerson,
  EVERYTHING_STDIO,
  mcpRaw,
  type Person,
  rpc,
} from "../support/mcp";
import { createScratchDatabase } from "../support/postgres";
import { startRedis, type TestRedis } from "../support/redis";
import { type SpawnedHub, spawnHub } from "../support/spawn-hub";

// Limits hold across instances: two hubs on one PostgreSQL database share the counts (the
// database store), and a hub with REDIS_URL counts in a real redis-server, letting calls through
// while Redis is down and enforcing again once it is back.

test.describe.configure({ mode: "serial", timeout: 180_000 });

const RATE_LIMITED = -32029;
const ADMIN_KEY = `mcphub_${randomBytes(32).toString("base64url")}`;
const admin = { MCPHUB_ADMIN_EMAIL: "admin@limits.test", MCPHUB_ADMIN_API_KEY: ADMIN_KEY };

type Setup = { server: string; group: string };

async function setUp(hub: SpawnedHub): Promise<Setup> {
  const suffix = randomBytes(3).toString("hex");
  const setup = { server: `every${suffix}`, group: `limits${suffix}` };
  await apiOk("POST", "/api/v1/servers", {
    baseUrl: hub.url,
    key: ADMIN_KEY,
    body: { name: setup.server, ...EVERYTHING_STDIO },
  });
  await apiOk("POST", "/api/v1/groups", {
    baseUrl: hub.url,
    key: ADMIN_KEY,
    body: { name: setup.group, servers: [setup.server], visibility: "public" },
  });
  return setup;
}

function personOn(hub: SpawnedHub, setup: Setup, label: string): Promise<Person> {
  return createPerson(label, { hub: { url: hub.url, adminKey: ADMIN_KEY }, join: setup.group });
}

async function echo(hub: SpawnedHub, person: Person, setup: Setup): Promise<Answer> {
  const answer = await mcpRaw(
    "/api/mcp",
    rpc("tools/call", { name: `${setup.server}-echo`, arguments: { message: "hi" } }),
    { key: person.key, baseUrl: hub.url },
  );
  return answer.message;
}

const ok = (message: Answer) => message.error === undefined && message.result?.isError !== true;
const refused = (message: Answer) => message.error?.code === RATE_LIMITED;

test.describe("two instances on one PostgreSQL database", () => {
  let database: { url: string; drop: () => Promise<void> };
  let hubA: SpawnedHub;
  let hubB: SpawnedHub;
  let setup: Setup;

  test.beforeAll(async () => {
    database = await createScratchDatabase("limits");
    const shared = {
      ...admin,
      AUTH_SECRET: randomBytes(32).toString("base64"),
      MCPHUB_SECRET_KEY: randomBytes(32).toString("base64"),
    };
    hubA = await spawnHub({
      label: "limits-a",
      databaseUrl: database.url,
      env: { ...shared, MCPHUB_INSTANCE_ID: "hub-a" },
    });
    hubB = await spawnHub({
      label: "limits-b",
      databaseUrl: database.url,
      env: { ...shared, MCPHUB_INSTANCE_ID: "hub-b" },
    });
    setup = await setUp(hubA);
  });
  test.afterAll(async () => {
    await Promise.all([hubA?.stop(), hubB?.stop()]);
    await database?.drop();
  });

  test("N calls split across both instances succeed, and the next one on either is refused", async () => {
    const person = await personOn(hubA, setup, "split");
    await apiOk("POST", "/api/v1/rate-limits", {
      baseUrl: hubA.url,
      key: ADMIN_KEY,
      body: { scope: "person", userId: person.id, callsPerMinute: 4 },
    });
    // hub B learns of the new rule over the cluster bus; its rule cache was empty until now anyway.
    for (const hub of [hubA, hubB, hubA, hubB]) {
      const message = await echo(hub, person, setup);
      expect(ok(message), JSON.stringify(message)).toBe(true);
    }
    for (const hub of [hubB, hubA]) {
      const message = await echo(hub, person, setup);
      expect(refused(message), JSON.stringify(message)).toBe(true);
      expect(message.error.message).toMatch(
        /^Rate limit reached: 4 calls per minute per person\. Retry after \d+ s\.$/,
      );
    }
  });

  test("a server limit changed on one instance is in force on the other within two seconds", async () => {
    const [alice, bob] = [await personOn(hubA, setup, "alice"), await personOn(hubB, setup, "bob")];
    const limit = await apiOk("POST", "/api/v1/rate-limits", {
      baseUrl: hubA.url,
      key: ADMIN_KEY,
      body: { scope: "server", server: setup.server, callsPerMinute: 1_000 },
    });
    // Hub B reads the rule once, so its cache holds the old number.
    expect(ok(await echo(hubB, bob, setup))).toBe(true);
    expect(ok(await echo(hubA, alice, setup))).toBe(true);
    await apiOk("PATCH", `/api/v1/rate-limits/${limit.id}`, {
      baseUrl: hubA.url,
      key: ADMIN_KEY,
      body: { callsPerMinute: 2 },
      status: 200,
    });
    const started = performance.now();
    let message: Answer;
    do {
      message = await echo(hubB, bob, setup);
      if (refused(message)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    } while (performance.now() - started < 2_000);
    expect(refused(message), JSON.stringify(message)).toBe(true);
    expect(message.error.data).toMatchObject({ scope: "server", limit: 2, server: setup.server });
  });
});

test.describe("a hub counting in Redis (REDIS_URL)", () => {
  let redis: TestRedis;
  let hub: SpawnedHub;
  let setup: Setup;
  const port = HUB_PORT + 93;

  test.beforeAll(async () => {
    redis = await startRedis(port);
    hub = await spawnHub({ label: "limits-redis", env: { ...admin, REDIS_URL: redis.url } });
    setup = await setUp(hub);
  });
  test.afterAll(async () => {
    await hub?.stop();
    await redis?.stop();
  });

  test("enforces limits with counters in Redis, fails open while Redis is down, and enforces again when it is back", async () => {
    const person = await personOn(hub, setup, "redis");
    await apiOk("POST", "/api/v1/rate-limits", {
      baseUrl: hub.url,
      key: ADMIN_KEY,
      body: { scope: "person", userId: person.id, callsPerMinute: 3 },
    });
    for (let i = 0; i < 3; i++) expect(ok(await echo(hub, person, setup))).toBe(true);
    expect(refused(await echo(hub, person, setup))).toBe(true);

    // The counts are in Redis, under the person's bucket, and nowhere else.
    const client = new RespClient(new URL(redis.url));
    const keys = (await client.command("KEYS", `mcphub:ratelimit:person:${person.id}:*`)) as string[];
    expect(keys).toHaveLength(1);
    expect(Number(await client.command("GET", keys[0] as string))).toBe(3);
    client.close();
    const usage = await apiOk("GET", "/api/v1/rate-limits", { baseUrl: hub.url, key: ADMIN_KEY });
    expect(usage.rateLimits[0]).toMatchObject({ userId: person.id, usage: 3 });

    await redis.stop();
    for (let i = 0; i < 5; i++) {
      const message = await echo(hub, person, setup);
      expect(ok(message), `call ${i + 1} while Redis is down: ${JSON.stringify(message)}`).toBe(true);
    }
    const warning = await hub.waitForLogEntry((entry) =>
      String(entry.msg).startsWith("rate limits are not enforced"),
    );
    expect(warning).toMatchObject({ level: 40, store: "redis" });
    // Once a minute, not once a call.
    expect(hub.log().filter((line) => line.includes("rate limits are not enforced")).length).toBe(1);
    const metrics = await fetch(`${hub.url}/api/metrics`, {
      headers: { Authorization: `Bearer ${ADMIN_KEY}` },
    });
    expect(await metrics.text()).toMatch(/^mcphub_rate_limit_store_errors_total ([5-9]|\d{2,})$/m);
    // The page still answers, with usage unknown.
    expect(
      (await api("GET", "/api/v1/rate-limits", { baseUrl: hub.url, key: ADMIN_KEY })).body.rateLimits[0]
        .usage,
    ).toBeNull();

    redis = await startRedis(port);
    // The client waits a second after a failed connection before it tries again.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const answers: boolean[] = [];
    for (let i = 0; i < 4; i++) answers.push(ok(await echo(hub, person, setup)));
    expect(answers).toEqual([true, true, true, false]);
  });
});
