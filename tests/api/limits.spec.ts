import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { ADMIN, HUB_URL, METRICS_TOKEN } from "../support/env";
import {
  type Answer,
  api,
  apiOk,
  createPerson,
  createServer,
  mcpRaw,
  type Person,
  personWithEverything,
  rpc,
  setGroupActive,
} from "../support/mcp";
import { type SpawnedHub, spawnHub } from "../support/spawn-hub";

// Rate limits on the shared test hub use people's overrides and server limits only: a default for
// every person would slow down every other test running beside these.

const RATE_LIMITED = -32029;

function echo(person: Person, server: string, options: { baseUrl?: string } = {}) {
  return mcpRaw("/api/mcp", rpc("tools/call", { name: `${server}-echo`, arguments: { message: "hi" } }), {
    key: person.key,
    ...options,
  });
}

async function expectOk(answer: Promise<{ message: Answer }>, label = "call") {
  const { message } = await answer;
  expect(message.error, `${label}: ${JSON.stringify(message)}`).toBeUndefined();
  expect(message.result.isError ?? false, label).toBe(false);
}

async function expectRefused(
  answer: Promise<{ message: Answer; status: number }>,
  limit: number,
  scope: string,
) {
  const { message, status } = await answer;
  expect(status).toBe(200);
  expect(message.error, JSON.stringify(message)).toBeDefined();
  expect(message.error.code).toBe(RATE_LIMITED);
  const retry = message.error.data.retryAfterSeconds;
  expect(retry).toBeGreaterThanOrEqual(1);
  expect(retry).toBeLessThanOrEqual(120);
  expect(message.error.data).toMatchObject({ limit, scope });
  return message.error as { message: string; data: { retryAfterSeconds: number; server?: string } };
}

async function override(person: Person, callsPerMinute: number, baseUrl?: string) {
  return apiOk("POST", "/api/v1/rate-limits", {
    body: { scope: "person", userId: person.id, callsPerMinute },
    ...(baseUrl && { baseUrl }),
  });
}

test("POST /api/mcp tools/call — a person's limit refuses the next call with which limit and when to retry; others are unaffected", async () => {
  const { person: alice, server, group } = await personWithEverything("alice");
  const bob = await createPerson("bob");
  await setGroupActive(bob, group);
  await override(alice, 3);
  for (let i = 0; i < 3; i++) await expectOk(echo(alice, server), `alice call ${i + 1}`);
  const error = await expectRefused(echo(alice, server), 3, "person");
  expect(error.message).toBe(
    `Rate limit reached: 3 calls per minute per person. Retry after ${error.data.retryAfterSeconds} s.`,
  );
  for (let i = 0; i < 5; i++) await expectOk(echo(bob, server), `bob call ${i + 1}`);
  // The refused call is in the call log, as rate_limited.
  await expect
    .poll(async () => (await apiOk("GET", `/api/v1/audit?user=${alice.id}&status=rate_limited`, {})).calls)
    .toMatchObject([{ server, tool: "echo", status: "rate_limited", errorClass: "rate_limit_person" }]);
});

test("POST /api/mcp tools/call — an unknown tool is still unknown, whatever the limits", async () => {
  const { person, server } = await personWithEverything("unknown");
  await override(person, 1);
  await expectOk(echo(person, server));
  const { message } = await mcpRaw("/api/mcp", rpc("tools/call", { name: `${server}-nope`, arguments: {} }), {
    key: person.key,
  });
  expect(message.error).toMatchObject({ code: -32602, message: `Unknown tool: ${server}-nope` });
});

test("POST /api/mcp tools/call — a server limit counts everyone together, and only that server", async () => {
  const { person: alice, server, group } = await personWithEverything("alice");
  const other = await createServer();
  await apiOk("PATCH", `/api/v1/groups/${group}`, { body: { servers: [server, other] }, status: 200 });
  const bob = await createPerson("bob");
  await setGroupActive(bob, group);
  await apiOk("POST", "/api/v1/rate-limits", { body: { scope: "server", server, callsPerMinute: 4 } });
  await expectOk(echo(alice, server));
  await expectOk(echo(bob, server));
  await expectOk(echo(alice, server));
  await expectOk(echo(bob, server));
  for (const who of [alice, bob]) {
    const error = await expectRefused(echo(who, server), 4, "server");
    expect(error.data.server).toBe(server);
    expect(error.message).toBe(
      `Rate limit reached: 4 calls per minute on ${server} for everyone together. Retry after ${error.data.retryAfterSeconds} s.`,
    );
  }
  await expectOk(echo(alice, other), "another server");
});

test("PATCH and DELETE /api/v1/rate-limits/{id} — a changed limit is in force at once, and refusals used up nothing", async () => {
  const { person, server } = await personWithEverything("changing");
  const limit = await override(person, 2);
  await expectOk(echo(person, server));
  await expectOk(echo(person, server));
  await expectRefused(echo(person, server), 2, "person");
  await expectRefused(echo(person, server), 2, "person");
  await apiOk("PATCH", `/api/v1/rate-limits/${limit.id}`, { body: { callsPerMinute: 4 }, status: 200 });
  await expectOk(echo(person, server), "third call after raising to 4");
  await expectOk(echo(person, server), "fourth call after raising to 4");
  await expectRefused(echo(person, server), 4, "person");
  await apiOk("DELETE", `/api/v1/rate-limits/${limit.id}`, {});
  for (let i = 0; i < 3; i++) await expectOk(echo(person, server), "after deleting the limit");
});

test.describe("/api/v1/rate-limits", () => {
  test("create, read, list (with usage), change and delete; every change is in the admin trail", async () => {
    const { person, server } = await personWithEverything("crud");
    const created = await override(person, 10);
    expect(created).toMatchObject({
      scope: "person",
      userId: person.id,
      userEmail: person.email,
      server: null,
      callsPerMinute: 10,
      usage: 0,
    });
    await expectOk(echo(person, server));
    await expectOk(echo(person, server));
    expect(await apiOk("GET", `/api/v1/rate-limits/${created.id}`, {})).toMatchObject({ usage: 2 });
    const onServer = await apiOk("POST", "/api/v1/rate-limits", {
      body: { scope: "server", server, callsPerMinute: 1_000_000 },
    });
    // Counting starts with the limit: calls made before it existed were never counted.
    expect(onServer).toMatchObject({ scope: "server", server, userId: null, usage: 0 });
    await expectOk(echo(person, server));
    expect(await apiOk("GET", `/api/v1/rate-limits/${onServer.id}`, {})).toMatchObject({ usage: 1 });
    expect(await apiOk("GET", `/api/v1/rate-limits/${created.id}`, {})).toMatchObject({ usage: 3 });
    const listed = (await apiOk("GET", "/api/v1/rate-limits", {})).rateLimits as Array<{ id: string }>;
    expect(listed.map((l) => l.id)).toEqual(expect.arrayContaining([created.id, onServer.id]));
    const changed = await apiOk("PATCH", `/api/v1/rate-limits/${created.id}`, {
      body: { callsPerMinute: 20 },
      status: 200,
    });
    expect(changed).toMatchObject({ id: created.id, callsPerMinute: 20 });
    await apiOk("DELETE", `/api/v1/rate-limits/${created.id}`, {});
    await apiOk("DELETE", `/api/v1/rate-limits/${onServer.id}`, {});
    expect((await api("GET", `/api/v1/rate-limits/${created.id}`)).status).toBe(404);
    const trail = await apiOk("GET", `/api/v1/audit/admin-events?action=limit.&limit=200`, {});
    const mine = (
      trail.events as Array<{ action: string; targetId: string; targetName: string; details: unknown }>
    )
      .filter((e) => e.targetId === created.id || e.targetId === onServer.id)
      .map((e) => [e.action, e.targetName]);
    expect(mine.sort()).toEqual(
      [
        ["limit.create", `person ${person.email}`],
        ["limit.update", `person ${person.email}`],
        ["limit.delete", `person ${person.email}`],
        ["limit.create", `server ${server}`],
        ["limit.delete", `server ${server}`],
      ].sort(),
    );
  });

  const errorCases: Array<{ name: string; body: unknown; field: string; message: string }> = [
    {
      name: "no scope",
      body: { callsPerMinute: 5 },
      field: "scope",
      message: "scope must be person (each person's calls) or server (everyone's calls on one server)",
    },
    {
      name: "unknown scope",
      body: { scope: "group", callsPerMinute: 5 },
      field: "scope",
      message: "scope must be person (each person's calls) or server (everyone's calls on one server)",
    },
    {
      name: "no callsPerMinute",
      body: { scope: "server", server: "x" },
      field: "callsPerMinute",
      message: "callsPerMinute must be a whole number of calls per minute, such as 60",
    },
    {
      name: "callsPerMinute as text",
      body: { scope: "person", userId: null, callsPerMinute: "60" },
      field: "callsPerMinute",
      message: "callsPerMinute must be a whole number of calls per minute, such as 60",
    },
    {
      name: "zero",
      body: { scope: "person", userId: null, callsPerMinute: 0 },
      field: "callsPerMinute",
      message: "callsPerMinute must be at least 1 (delete the limit to lift it)",
    },
    {
      name: "negative",
      body: { scope: "person", userId: null, callsPerMinute: -3 },
      field: "callsPerMinute",
      message: "callsPerMinute must be at least 1 (delete the limit to lift it)",
    },
    {
      name: "fraction",
      body: { scope: "person", userId: null, callsPerMinute: 1.5 },
      field: "callsPerMinute",
      message: "callsPerMinute must be a whole number, such as 60",
    },
    {
      name: "too many",
      body: { scope: "person", userId: null, callsPerMinute: 1_000_001 },
      field: "callsPerMinute",
      message: "callsPerMinute must be at most 1,000,000",
    },
    {
      name: "userId not a UUID",
      body: { scope: "person", userId: "alice@example.com", callsPerMinute: 5 },
      field: "userId",
      message: "userId must be a user id (a UUID, listed by GET /api/v1/users), or null for everyone",
    },
    {
      name: "unknown userId",
      body: { scope: "person", userId: "00000000-0000-4000-8000-000000000000", callsPerMinute: 5 },
      field: "userId",
      message:
        "No user with id 00000000-0000-4000-8000-000000000000: user ids are listed by GET /api/v1/users",
    },
    {
      name: "server with scope person",
      body: { scope: "person", server: "x", callsPerMinute: 5 },
      field: "server",
      message: "server is only for scope server: a person limit counts the person's calls on every server",
    },
    {
      name: "scope server without a server",
      body: { scope: "server", callsPerMinute: 5 },
      field: "server",
      message: "Name the server this limit is for (scope server)",
    },
    {
      name: "empty server",
      body: { scope: "server", server: "  ", callsPerMinute: 5 },
      field: "server",
      message: "server must be a server name, listed by GET /api/v1/servers",
    },
    {
      name: "server not a string",
      body: { scope: "server", server: 7, callsPerMinute: 5 },
      field: "server",
      message: "server must be a server name",
    },
    {
      name: "unknown server",
      body: { scope: "server", server: "no-such-server-anywhere", callsPerMinute: 5 },
      field: "server",
      message: "No server named no-such-server-anywhere: server names are listed by GET /api/v1/servers",
    },
    {
      name: "userId with scope server",
      body: {
        scope: "server",
        server: "x",
        userId: "00000000-0000-4000-8000-000000000000",
        callsPerMinute: 5,
      },
      field: "userId",
      message: "userId is only for scope person: a server limit counts everyone's calls together",
    },
    {
      name: "unknown field",
      body: { scope: "person", callsPerMinute: 5, perHour: 100 },
      field: "body",
      message: "Unknown field perHour: send scope, userId, server and callsPerMinute",
    },
    { name: "an array", body: [1], field: "body", message: "Invalid input: expected object, received array" },
  ];
  for (const bad of errorCases) {
    test(`POST /api/v1/rate-limits — ${bad.name}`, async () => {
      const answer = await api("POST", "/api/v1/rate-limits", { body: bad.body });
      expect(answer.status, JSON.stringify(answer.body)).toBe(422);
      expect(answer.body.error.code).toBe("validation_failed");
      expect(answer.body.error.fields[bad.field]).toContain(bad.message);
      expect(answer.body.error.message).toContain(bad.message);
    });
  }

  test("POST /api/v1/rate-limits — a second limit for one target is a conflict naming the first", async () => {
    const person = await createPerson("twice");
    const first = await override(person, 5);
    const again = await api("POST", "/api/v1/rate-limits", {
      body: { scope: "person", userId: person.id, callsPerMinute: 9 },
    });
    expect(again.status).toBe(409);
    expect(again.body.error).toEqual({
      code: "conflict",
      message: `There is already a limit for this person: change it instead (PATCH /api/v1/rate-limits/${first.id})`,
    });
  });

  const patchCases: Array<{ name: string; body: unknown; field: string; message: string }> = [
    {
      name: "no callsPerMinute",
      body: {},
      field: "callsPerMinute",
      message: "callsPerMinute must be a whole number of calls per minute, such as 60",
    },
    {
      name: "zero",
      body: { callsPerMinute: 0 },
      field: "callsPerMinute",
      message: "callsPerMinute must be at least 1 (delete the limit to lift it)",
    },
    {
      name: "too many",
      body: { callsPerMinute: 2_000_000 },
      field: "callsPerMinute",
      message: "callsPerMinute must be at most 1,000,000",
    },
    {
      name: "another target",
      body: { callsPerMinute: 5, scope: "server" },
      field: "body",
      message:
        "Only callsPerMinute can change (not scope): to limit another person or server, create a new limit",
    },
  ];
  for (const bad of patchCases) {
    test(`PATCH /api/v1/rate-limits/{id} — ${bad.name}`, async () => {
      const limit = await override(await createPerson("patch"), 5);
      const answer = await api("PATCH", `/api/v1/rate-limits/${limit.id}`, { body: bad.body });
      expect(answer.status, JSON.stringify(answer.body)).toBe(422);
      expect(answer.body.error.fields[bad.field]).toContain(bad.message);
      expect((await apiOk("GET", `/api/v1/rate-limits/${limit.id}`, {})).callsPerMinute).toBe(5);
    });
  }

  test("unknown ids are 404 with where ids are listed; bodies must be JSON", async () => {
    for (const method of ["GET", "PATCH", "DELETE"]) {
      const missing = await api(method, "/api/v1/rate-limits/00000000-0000-4000-8000-000000000000", {
        ...(method === "PATCH" && { body: { callsPerMinute: 5 } }),
      });
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toBe("No rate limit with id 00000000-0000-4000-8000-000000000000");
      const notUuid = await api(method, "/api/v1/rate-limits/alice", {
        ...(method === "PATCH" && { body: { callsPerMinute: 5 } }),
      });
      expect(notUuid.status).toBe(404);
      expect(notUuid.body.error.message).toBe(
        "No rate limit with id alice: ids are UUIDs, listed by GET /api/v1/rate-limits",
      );
    }
    const response = await fetch(`${baseUrl()}/api/v1/rate-limits`, {
      method: "POST",
      headers: { Authorization: `Bearer ${adminKey()}`, "Content-Type": "text/plain" },
      body: "scope=person",
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as Answer).error.message).toBe(
      "Send the body as JSON with Content-Type: application/json",
    );
  });

  test("people who are not admins are refused, and nothing is created", async () => {
    const person = await createPerson("notadmin");
    for (const [method, path, body] of [
      ["GET", "/api/v1/rate-limits", undefined],
      ["POST", "/api/v1/rate-limits", { scope: "person", userId: person.id, callsPerMinute: 1 }],
      ["GET", "/api/v1/rate-limits/00000000-0000-4000-8000-000000000000", undefined],
      ["PATCH", "/api/v1/rate-limits/00000000-0000-4000-8000-000000000000", { callsPerMinute: 1 }],
      ["DELETE", "/api/v1/rate-limits/00000000-0000-4000-8000-000000000000", undefined],
    ] as const) {
      const asPerson = await api(method, path, { key: person.key, body });
      expect(asPerson.status, `${method} ${path}`).toBe(403);
      expect(asPerson.body.error).toEqual({ code: "forbidden", message: "This route is for admins only" });
      expect((await api(method, path, { key: null, body })).status).toBe(401);
    }
    const all = (await apiOk("GET", "/api/v1/rate-limits", {})).rateLimits as Array<{ userId: string }>;
    expect(all.some((limit) => limit.userId === person.id)).toBe(false);
  });
});

const baseUrl = () => HUB_URL;
const adminKey = () => ADMIN.apiKey;

test.describe("/api/metrics", () => {
  const scrape = (headers: Record<string, string>) => fetch(`${baseUrl()}/api/metrics`, { headers });

  test("refuses everyone but the scrape token and admins, saying what to send", async () => {
    const person = await createPerson("scraper");
    const anonymous = await scrape({});
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer /);
    const unauthorizedMessage =
      "Send 'Authorization: Bearer <MCPHUB_METRICS_TOKEN>' (the scrape token set in the hub's environment) or an admin's MCPHub key";
    expect(((await anonymous.json()) as Answer).error).toEqual({
      code: "unauthorized",
      message: unauthorizedMessage,
    });
    for (const wrong of [
      `${METRICS_TOKEN}x`,
      METRICS_TOKEN.slice(0, -1),
      randomBytes(24).toString("hex"),
      "",
    ]) {
      const refused = await scrape({ Authorization: `Bearer ${wrong}` });
      expect(refused.status, wrong).toBe(401);
      expect(((await refused.json()) as Answer).error.message).toBe(unauthorizedMessage);
    }
    const asPerson = await scrape({ Authorization: `Bearer ${person.key}` });
    expect(asPerson.status).toBe(403);
    expect(((await asPerson.json()) as Answer).error).toEqual({
      code: "forbidden",
      message:
        "Metrics are for admins and Prometheus: use an admin's MCPHub key, or the scrape token MCPHUB_METRICS_TOKEN",
    });
    for (const token of [METRICS_TOKEN, adminKey()]) {
      const ok = await scrape({ Authorization: `Bearer ${token}` });
      expect(ok.status).toBe(200);
      expect(ok.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
      expect(await ok.text()).toContain("# TYPE mcphub_tool_calls_total counter");
    }
  });

  test("counters move with calls; labels are servers and statuses, never people or secrets", async () => {
    const read = async () => (await scrape({ Authorization: `Bearer ${METRICS_TOKEN}` })).text();
    const value = (text: string, series: string) => {
      const line = text.split("\n").find((l) => l.startsWith(`${series} `));
      return line ? Number(line.slice(series.length + 1)) : 0;
    };
    const { person, server } = await personWithEverything("metrics");
    await override(person, 2);
    const before = await read();
    await expectOk(echo(person, server));
    await expectOk(echo(person, server));
    await expectRefused(echo(person, server), 2, "person");
    const after = await read();
    expect(value(after, `mcphub_tool_calls_total{server="${server}",status="ok"}`)).toBe(2);
    expect(value(after, `mcphub_tool_calls_total{server="${server}",status="rate_limited"}`)).toBe(1);
    expect(value(after, `mcphub_tool_call_duration_seconds_count{server="${server}"}`)).toBe(2);
    expect(value(after, `mcphub_tool_call_duration_seconds_bucket{server="${server}",le="+Inf"}`)).toBe(2);
    expect(value(after, 'mcphub_rate_limit_refusals_total{scope="person"}')).toBeGreaterThan(
      value(before, 'mcphub_rate_limit_refusals_total{scope="person"}'),
    );
    expect(value(after, `mcphub_upstream_up{server="${server}"}`)).toBe(1);
    expect(
      value(after, 'mcphub_key_cache_lookups_total{result="hit"}') +
        value(after, 'mcphub_key_cache_lookups_total{result="miss"}'),
    ).toBeGreaterThan(
      value(before, 'mcphub_key_cache_lookups_total{result="hit"}') +
        value(before, 'mcphub_key_cache_lookups_total{result="miss"}'),
    );
    expect(after).toMatch(/^mcphub_isolated_processes\{state="running"\} \d+$/m);
    expect(after).toMatch(/^process_resident_memory_bytes \d+$/m);
    for (const secret of [
      person.id,
      person.email,
      person.key,
      METRICS_TOKEN,
      adminKey(),
      "hub-shared-secret-value-only-in-tests",
    ])
      expect(after).not.toContain(secret);
    // Every sample line is `name{labels} value`, as Prometheus parses it.
    for (const line of after
      .trim()
      .split("\n")
      .filter((l) => !l.startsWith("#")))
      expect(line).toMatch(
        /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-z_]+="(?:[^"\\]|\\.)*"(,[a-z_]+="(?:[^"\\]|\\.)*")*\})? [-+0-9.eE]+(Inf)?$/,
      );
  });
});

test.describe("a default for every person (on a hub of its own)", () => {
  test.describe.configure({ mode: "serial", timeout: 120_000 });
  const ADMIN_KEY = `mcphub_${randomBytes(32).toString("base64url")}`;
  let hub: SpawnedHub;
  let server = "";
  let group = "";
  const on = (method: string, path: string, body?: unknown, status?: number) =>
    apiOk(method, path, { baseUrl: hub.url, key: ADMIN_KEY, body, ...(status && { status }) });

  async function person(label: string): Promise<Person> {
    const user = await on("POST", "/api/v1/users", {
      email: `${label}-${randomBytes(3).toString("hex")}@limits.test`,
      role: "user",
    });
    const key = await on("POST", `/api/v1/users/${user.id}/keys`, { name: "laptop" });
    await apiOk("PUT", `/api/v1/me/groups/${group}`, {
      baseUrl: hub.url,
      key: key.key,
      body: { active: true },
      status: 200,
    });
    return { id: user.id, email: user.email, key: key.key, keyId: key.id };
  }

  test.beforeAll(async () => {
    hub = await spawnHub({
      label: "limits-default",
      env: { MCPHUB_ADMIN_EMAIL: "admin@limits.test", MCPHUB_ADMIN_API_KEY: ADMIN_KEY },
    });
    server = `every${randomBytes(3).toString("hex")}`;
    group = `limits${randomBytes(3).toString("hex")}`;
    await on("POST", "/api/v1/servers", {
      name: server,
      type: "stdio",
      command: "node",
      args: ["node_modules/@modelcontextprotocol/server-everything/dist/index.js", "stdio"],
    });
    await on("POST", "/api/v1/groups", { name: group, servers: [server], visibility: "public" });
  });
  test.afterAll(async () => {
    await hub?.stop();
  });

  test("the default limits each person on their own; a person's override replaces it for them", async () => {
    const [alice, bob, carol] = [await person("alice"), await person("bob"), await person("carol")];
    const byDefault = await on("POST", "/api/v1/rate-limits", {
      scope: "person",
      userId: null,
      callsPerMinute: 2,
    });
    expect(byDefault).toMatchObject({ scope: "person", userId: null, usage: null });
    await on("POST", "/api/v1/rate-limits", { scope: "person", userId: carol.id, callsPerMinute: 4 });
    for (const who of [alice, bob]) {
      await expectOk(echo(who, server, { baseUrl: hub.url }));
      await expectOk(echo(who, server, { baseUrl: hub.url }));
      const error = await expectRefused(echo(who, server, { baseUrl: hub.url }), 2, "person");
      expect(error.message).toMatch(
        /^Rate limit reached: 2 calls per minute per person\. Retry after \d+ s\.$/,
      );
    }
    for (let i = 0; i < 4; i++) await expectOk(echo(carol, server, { baseUrl: hub.url }), `carol ${i + 1}`);
    await expectRefused(echo(carol, server, { baseUrl: hub.url }), 4, "person");
    const again = await api("POST", "/api/v1/rate-limits", {
      baseUrl: hub.url,
      key: ADMIN_KEY,
      body: { scope: "person", callsPerMinute: 9 },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe(
      `There is already a limit for every person: change it instead (PATCH /api/v1/rate-limits/${byDefault.id})`,
    );
    const listed = (await on("GET", "/api/v1/rate-limits")).rateLimits as Array<{
      id: string;
      userId: string | null;
    }>;
    expect(listed[0]?.id, "the default is listed first").toBe(byDefault.id);
  });
});
