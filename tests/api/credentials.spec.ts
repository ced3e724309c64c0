import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { HUB_PORT, HUB_URL } from "../support/env";
import { startFixture, stopFixture } from "../support/fixtures";
import {
  createGroup,
  createPerson,
  createServer,
  inSession,
  MODERN_VERSION,
  mcpRaw,
  modernMeta,
  openSession,
  type Person,
  rpc,
  setGroupActive,
} from "../support/mcp";
import { bearer, expect, test } from "../support/session";

/*
 * Two people, one upstream: each call reaches the upstream with the caller's own credential and
 * nobody else's, and an upstream that asks for no credential receives none.
 */

let fixture: ChildProcess | undefined;
let tokenServer: string;
let plainServer: string;
let contextServer: string;
let alice: Person;
let bob: Person;
let carol: Person;
// "secret-value-" marks every credential value, so the leak check (tests/leaks) can look for them in the hub's log.
const aliceToken = `secret-value-alice-${randomUUID()}`;
const bobToken = `secret-value-bob-${randomUUID()}`;

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ playwright }, workerInfo) => {
  const port = HUB_PORT + 50 + workerInfo.workerIndex;
  fixture = await startFixture("tests/fixtures/servers/header-echo.mjs", port);
  const url = `http://127.0.0.1:${port}/mcp`;
  tokenServer = await createServer("creds", {
    type: "streamable-http",
    url,
    headers: { Authorization: "Bearer ${USER_SVC_TOKEN}" },
  });
  plainServer = await createServer("plain", { type: "streamable-http", url, headers: {} });
  contextServer = await createServer("context", {
    type: "streamable-http",
    url,
    headers: { Authorization: "Bearer ${USER_SVC_TOKEN}" },
    contextHeaders: true,
  });
  const group = await createGroup([tokenServer, plainServer, contextServer]);
  [alice, bob, carol] = await Promise.all([
    createPerson("alice"),
    createPerson("bob"),
    createPerson("carol"),
  ]);
  for (const person of [alice, bob, carol]) await setGroupActive(person, group);
  const api = await playwright.request.newContext({ baseURL: `http://localhost:${HUB_PORT}` });
  for (const [person, token] of [
    [alice, aliceToken],
    [bob, bobToken],
  ] as const) {
    const saved = await api.put("/api/v1/me/credentials/SVC_TOKEN", {
      headers: bearer(person.key),
      data: { value: token },
    });
    expect(saved.status(), await saved.text()).toBe(200);
  }
  await api.dispose();
});

/** One stateless request to /api/mcp as `person`; the JSON-RPC answer. */
async function mcp(person: Person, method: string, params: Record<string, unknown> = {}) {
  return (await mcpRaw("/api/mcp", rpc(method, params), { key: person.key })).message as {
    result?: {
      content?: Array<{ text?: string }>;
      isError?: boolean;
      tools?: Array<{ name: string; description?: string }>;
    };
  };
}

function toolText(answer: Awaited<ReturnType<typeof mcp>>): string {
  return (answer.result?.content ?? []).map((c) => c.text ?? "").join("\n");
}

test.afterAll(() => stopFixture(fixture));

test("hundreds of interleaved calls: Alice's reach the upstream with her token, Bob's with his", async () => {
  const calls = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? alice : bob));
  const answers = await Promise.all(
    calls.map((person) => mcp(person, "tools/call", { name: `${tokenServer}-whoami`, arguments: {} })),
  );
  answers.forEach((answer, i) => {
    const seen = JSON.parse(toolText(answer)) as Record<string, string | null>;
    expect(seen.authorization).toBe(`Bearer ${calls[i] === alice ? aliceToken : bobToken}`);
    expect(seen.cookie).toBeNull();
  });
});

test("a person without the credential is told which one and where to link it", async () => {
  const listed = await mcp(carol, "tools/list");
  const tool = ((listed.result?.tools ?? []) as Array<{ name: string; description?: string }>).find(
    (t) => t.name === `${tokenServer}-whoami`,
  );
  expect(tool?.description).toContain("Needs your SVC_TOKEN");
  const answer = await mcp(carol, "tools/call", {
    name: `${tokenServer}-whoami`,
    arguments: {},
  });
  expect(answer.result?.isError).toBe(true);
  expect(toolText(answer)).toMatch(/SVC_TOKEN.*\/account\/connections/);
  expect(toolText(answer)).not.toContain(aliceToken);
});

test("a client that can open URLs is sent to the linking page: -32042 in 2025-11-25, input_required in 2026-07-28", async () => {
  const linkPage = `${HUB_URL}/account/connections`;
  const call = rpc("tools/call", { name: `${tokenServer}-whoami`, arguments: {} });

  await test.step("2025-11-25 session whose client declared URL elicitation", async () => {
    const sessionId = await openSession("/api/mcp", carol.key, { elicitation: { url: {} } });
    const answer = (await inSession("/api/mcp", carol.key, sessionId, call)).message;
    expect(answer.error?.code).toBe(-32042);
    const [elicitation] = answer.error?.data?.elicitations ?? [];
    expect(elicitation).toMatchObject({ mode: "url", url: linkPage });
    expect(elicitation.message).toContain("SVC_TOKEN");
    expect(elicitation.elicitationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  await test.step("2025-11-25 session without it: the plain tool error", async () => {
    const sessionId = await openSession("/api/mcp", carol.key);
    const answer = (await inSession("/api/mcp", carol.key, sessionId, call)).message;
    expect(answer.result?.isError).toBe(true);
    expect(answer.result?.content?.[0]?.text).toContain(linkPage);
  });

  const modernCall = (capabilities: object, extra: Record<string, unknown> = {}) =>
    mcpRaw(
      "/api/mcp",
      rpc("tools/call", {
        name: `${tokenServer}-whoami`,
        arguments: {},
        ...extra,
        _meta: modernMeta(capabilities),
      }),
      {
        key: carol.key,
        headers: {
          "Mcp-Protocol-Version": MODERN_VERSION,
          "Mcp-Method": "tools/call",
          "Mcp-Name": `${tokenServer}-whoami`,
        },
      },
    );

  await test.step("2026-07-28 request whose client declared URL elicitation", async () => {
    const answer = (await modernCall({ elicitation: { url: {} } })).message;
    expect(answer.result?.resultType).toBe("input_required");
    const request = answer.result?.inputRequests?.link_SVC_TOKEN;
    expect(request?.method).toBe("elicitation/create");
    expect(request?.params).toMatchObject({ mode: "url", url: linkPage });
    expect(request?.params?.message).toContain("SVC_TOKEN");
  });

  await test.step("2026-07-28 retry after the page, still unlinked: the plain tool error, not another round", async () => {
    const answer = (
      await modernCall(
        { elicitation: { url: {} } },
        { inputResponses: { link_SVC_TOKEN: { action: "accept" } } },
      )
    ).message;
    expect(answer.result?.isError).toBe(true);
    expect(answer.result?.content?.[0]?.text).toContain(linkPage);
  });

  await test.step("2026-07-28 request without it: the plain tool error", async () => {
    const answer = (await modernCall({})).message;
    expect(answer.result?.isError).toBe(true);
  });
});

test("an upstream that references no credential receives none, nor the MCP client's headers", async () => {
  const answer = await mcp(alice, "tools/call", {
    name: `${plainServer}-whoami`,
    arguments: {},
  });
  const seen = JSON.parse(toolText(answer)) as Record<string, string | null>;
  expect(seen.authorization).toBeNull();
  expect(seen["x-mcphub-user-id"]).toBeNull();
  expect(JSON.stringify(seen)).not.toContain(alice.key);
});

test("with context headers on, the upstream learns who called and which request, and nothing more", async () => {
  const answers = await Promise.all(
    [alice, alice].map((person) =>
      mcp(person, "tools/call", { name: `${contextServer}-whoami`, arguments: {} }),
    ),
  );
  const seen = answers.map((answer) => JSON.parse(toolText(answer)) as Record<string, string | null>);
  for (const headers of seen) {
    expect(headers["x-mcphub-user-id"]).toBe(alice.id);
    expect(headers["x-mcphub-request-id"]).toMatch(/^[\w-]{8,}$/);
    expect(headers.authorization).toBe(`Bearer ${aliceToken}`);
    expect(headers.cookie).toBeNull();
  }
  // One request id per MCP request, so the upstream's logs can be matched to the hub's audit trail.
  expect(seen[0]?.["x-mcphub-request-id"]).not.toBe(seen[1]?.["x-mcphub-request-id"]);
});

test("a caller cannot borrow another person's credential through arguments, _meta or headers", async () => {
  const bobId = bob.id;
  const answer = (
    await mcpRaw(
      "/api/mcp",
      rpc("tools/call", {
        name: `${contextServer}-whoami`,
        arguments: { userId: bobId, user: bob.email, MCPHUB_USER_ID: bobId, token: "${USER_SVC_TOKEN}" },
        _meta: { "X-MCPHub-User-Id": bobId, userId: bobId },
      }),
      { key: alice.key, headers: { "X-MCPHub-User-Id": bobId, "X-MCPHub-Request-Id": "forged-request" } },
    )
  ).message as Parameters<typeof toolText>[0];
  const seen = JSON.parse(toolText(answer)) as Record<string, string | null>;
  expect(seen.authorization).toBe(`Bearer ${aliceToken}`);
  expect(seen["x-mcphub-user-id"]).not.toBe(bobId);
  expect(seen["x-mcphub-request-id"]).not.toBe("forged-request");
  expect(JSON.stringify(answer)).not.toContain(bobToken);
});

test("replacing a credential takes effect on the next call", async ({ request }) => {
  const replacement = `secret-value-alice-new-${randomUUID()}`;
  const saved = await request.put("/api/v1/me/credentials/SVC_TOKEN", {
    headers: bearer(alice.key),
    data: { value: replacement },
  });
  expect(saved.status()).toBe(200);
  const answer = await mcp(alice, "tools/call", {
    name: `${tokenServer}-whoami`,
    arguments: {},
  });
  expect(JSON.parse(toolText(answer)).authorization).toBe(`Bearer ${replacement}`);
});

test("the credentials list shows linked, hint and users, never a value; bad values are refused", async ({
  request,
}) => {
  const list = await request.get("/api/v1/me/credentials", { headers: bearer(bob.key) });
  const text = await list.text();
  expect(text).not.toContain(bobToken);
  const entries = JSON.parse(text) as Array<{
    name: string;
    linked: boolean;
    hint: string;
    usedBy: string[];
  }>;
  expect(entries.find((e) => e.name === "SVC_TOKEN")).toMatchObject({
    linked: true,
    hint: `…${bobToken.slice(-4)}`,
    usedBy: [contextServer, tokenServer].sort(),
  });
  const carolList = (await (
    await request.get("/api/v1/me/credentials", { headers: bearer(carol.key) })
  ).json()) as Array<{ name: string; linked: boolean }>;
  expect(carolList.find((e) => e.name === "SVC_TOKEN")?.linked).toBe(false);

  for (const [value, message] of [
    ["line\r\nX-Injected: 1", /line break/],
    ["", /empty/],
  ] as const) {
    const refused = await request.put("/api/v1/me/credentials/SVC_TOKEN", {
      headers: bearer(bob.key),
      data: { value },
    });
    expect(refused.status()).toBe(422);
    expect((await refused.json()).error.message).toMatch(message);
  }
  const badName = await request.put("/api/v1/me/credentials/svc-token", {
    headers: bearer(bob.key),
    data: { value: "x" },
  });
  expect(badName.status()).toBe(422);
  // A value that looks like a template is stored and sent as text, never expanded again.
  const literal = "${USER_SVC_TOKEN}${MCPHUB_USER_ID}";
  expect(
    (
      await request.put("/api/v1/me/credentials/SVC_TOKEN", {
        headers: bearer(bob.key),
        data: { value: literal },
      })
    ).status(),
  ).toBe(200);
  const answer = await mcp(bob, "tools/call", { name: `${tokenServer}-whoami`, arguments: {} });
  expect(JSON.parse(toolText(answer)).authorization).toBe(`Bearer ${literal}`);
});

test("the database holds no plaintext credential @postgres", async () => {
  const postgres = (await import("postgres")).default;
  const sql = postgres(process.env.DATABASE_URL as string, { max: 1 });
  try {
    const rows = await sql<
      { sealed_value: string; hint: string }[]
    >`select sealed_value, hint from user_credentials where name = 'SVC_TOKEN'`;
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(aliceToken);
    expect(dump).not.toContain(bobToken);
    for (const row of rows) expect(row.sealed_value).toMatch(/^v1\.[0-9a-f]{8}\./);
  } finally {
    await sql.end();
  }
});
