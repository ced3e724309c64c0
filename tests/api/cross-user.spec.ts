import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { HUB_PORT, HUB_URL } from "../support/env";
import { startFixture, stopFixture } from "../support/fixtures";
import {
  api,
  apiOk,
  createGroup,
  createServer,
  inSession,
  MODERN_VERSION,
  mcpRaw,
  modernRaw,
  openSession,
  type Person,
  rpc,
  setGroupActive,
  unknownToolError,
} from "../support/mcp";
import { alive, PROBE_SERVER, processesOf } from "../support/processes";
import { actionState, builtActionId, callAction } from "../support/server-actions";
import { expect, test } from "../support/session";
import { uniqueUser } from "../support/users";

/*
 * Alice tries every way we know to reach Bob's tools, credentials, processes, sessions, keys and
 * audit rows: guessed and borrowed ids, his session id, crafted tool names, his group's endpoint,
 * path and template tricks, the REST API, the worker route and the portal's server actions. Each
 * is refused without telling her whether the thing exists, and Bob's things keep working after
 * every attempt. (From inside a sandboxed process, reading another person's folder or signalling
 * their process, and the filesystem server's path tricks, are tried in processes.spec.ts.)
 */

test.describe.configure({ mode: "serial" });

type Owner = Person & { password: string };

let fixture: ChildProcess | undefined;
let alice: Owner;
let bob: Owner;
/** A remote server only Bob's restricted group holds; it reports the Authorization it received. */
let bobServer: string;
let bobGroup: string;
/** The same kind of server in a public group Alice uses, to see what her own calls carry. */
let aliceServer: string;
/** An isolated stdio server both use: one process each. */
let probeServer: string;
const aliceToken = `secret-value-xu-alice-${randomUUID()}`;
const bobToken = `secret-value-xu-bob-${randomUUID()}`;

async function personWithPassword(label: string): Promise<Owner> {
  const who = uniqueUser(label);
  const user = await apiOk("POST", "/api/v1/users", {
    body: { email: who.email, name: who.name, role: "user", password: who.password },
  });
  const key = await apiOk("POST", `/api/v1/users/${user.id}/keys`, { body: { name: `${label} laptop` } });
  return { id: user.id, email: user.email, key: key.key, keyId: key.id, password: who.password };
}

async function link(person: Person, name: string, value: string) {
  await apiOk("PUT", `/api/v1/me/credentials/${name}`, { key: person.key, body: { value }, status: 200 });
}

/** A stateless tools/call; the JSON-RPC answer. */
async function call(person: Person, name: string, path = "/api/mcp", query = "") {
  return (await mcpRaw(`${path}${query}`, rpc("tools/call", { name, arguments: {} }), { key: person.key }))
    .message;
}

/** What the header-echo server saw on a successful call. */
function seenBy(answer: { result?: { structuredContent?: Record<string, string | null> } }) {
  expect(answer.result?.structuredContent, JSON.stringify(answer)).toBeDefined();
  return answer.result?.structuredContent as Record<string, string | null>;
}

/** What the isolation probe reported about the process that answered (it answers JSON text). */
function probeReport(answer: { result?: { content?: Array<{ text?: string }> } }) {
  const text = answer.result?.content?.[0]?.text;
  expect(text, JSON.stringify(answer)).toBeDefined();
  return JSON.parse(text as string) as { pid: number; env: Record<string, string> };
}

/** Bob's own call still works and still carries his token: no attempt changed anything of his. */
async function bobIsUnharmed() {
  expect(seenBy(await call(bob, `${bobServer}-whoami`)).authorization).toBe(`Bearer ${bobToken}`);
}

test.beforeAll(async ({ playwright: _ }, workerInfo) => {
  // 45-49: clear of the other fixtures' ports (see tests/support/env.ts and own-hub.ts).
  const port = HUB_PORT + 45 + workerInfo.workerIndex;
  fixture = await startFixture("tests/fixtures/servers/header-echo.mjs", port);
  const remote = {
    type: "streamable-http",
    url: `http://127.0.0.1:${port}/mcp`,
    headers: { Authorization: "Bearer ${USER_SVC_TOKEN}" },
  };
  [alice, bob] = await Promise.all([personWithPassword("xu-alice"), personWithPassword("xu-bob")]);
  bobServer = await createServer("xu-bob", remote);
  bobGroup = await createGroup([bobServer], { prefix: "xu-bob", visibility: "restricted" });
  await apiOk("PUT", `/api/v1/groups/${bobGroup}/members/${bob.id}`, { status: 204 });
  await setGroupActive(bob, bobGroup);

  aliceServer = await createServer("xu-alice", remote);
  probeServer = await createServer("xu-probe", {
    ...PROBE_SERVER,
    env: { PROBE_TOKEN: "${USER_SVC_TOKEN}" },
  });
  const shared = await createGroup([aliceServer, probeServer], { prefix: "xu-shared" });
  await setGroupActive(alice, shared);
  await setGroupActive(bob, shared);
  await link(alice, "SVC_TOKEN", aliceToken);
  await link(bob, "SVC_TOKEN", bobToken);
  await bobIsUnharmed();
});

test.afterAll(() => stopFixture(fixture));

test("Bob's tools: not listed for Alice, and every spelling of their names answers like a tool that does not exist", async () => {
  const listed = await mcpRaw("/api/mcp", rpc("tools/list"), { key: alice.key });
  const names = (listed.message.result.tools as Array<{ name: string }>).map((tool) => tool.name);
  expect(names).toContain(`${aliceServer}-whoami`);
  expect(names.filter((name) => name.startsWith(bobServer))).toEqual([]);

  const bobTool = `${bobServer}-whoami`;
  const spellings = [
    bobTool,
    bobTool.toUpperCase(),
    `${bobServer}_whoami`,
    `${bobServer}__whoami`,
    `${bobServer}.whoami`,
    `${bobServer}/whoami`,
    `${bobGroup}/${bobTool}`,
    `../${bobTool}`,
    ` ${bobTool}`,
    `${bobTool}\u0000`,
    `${bobServer}\u2010whoami`, // a Unicode hyphen that looks like "-"
    `${bobServer}%2Dwhoami`,
    `${bobTool}-`,
    "whoami",
  ];
  for (const name of spellings) {
    const answer = await call(alice, name);
    expect(answer.error, JSON.stringify(name)).toEqual(unknownToolError(name));
    expect(JSON.stringify(answer)).not.toContain(bobToken);
  }
  // The 2026-07-28 revision routes the same way, with the name in the Mcp-Name header too.
  const modern = await modernRaw("/api/mcp", alice.key, "tools/call", { name: bobTool, arguments: {} });
  expect(modern.message.error).toEqual(unknownToolError(bobTool));
  await bobIsUnharmed();
});

test("Bob's restricted group: its endpoint and joining it answer exactly like a group that does not exist", async () => {
  const nobody = `xu-nogroup-${randomUUID().slice(0, 8)}`;
  for (const body of [rpc("tools/list"), rpc("tools/call", { name: `${bobServer}-whoami`, arguments: {} })]) {
    const his = await mcpRaw(`/api/mcp/${bobGroup}`, body, { key: alice.key });
    const none = await mcpRaw(`/api/mcp/${nobody}`, body, { key: alice.key });
    expect(his.status).toBe(404);
    expect(none.status).toBe(404);
    expect(his.text.replaceAll(bobGroup, "NAME")).toBe(none.text.replaceAll(nobody, "NAME"));
    expect(his.text).not.toContain(bobToken);
  }
  // The /mcp alias and the key in the query string lead to the same answer.
  const alias = await fetch(`${HUB_URL}/mcp/${bobGroup}?key=${encodeURIComponent(alice.key)}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
    body: JSON.stringify(rpc("tools/list")),
  });
  expect(alias.status).toBe(404);

  const join = await api("PUT", `/api/v1/me/groups/${bobGroup}`, { key: alice.key, body: { active: true } });
  const joinNone = await api("PUT", `/api/v1/me/groups/${nobody}`, {
    key: alice.key,
    body: { active: true },
  });
  expect(join.status).toBe(404);
  expect(joinNone.status).toBe(404);
  expect(JSON.stringify(join.body).replaceAll(bobGroup, "NAME")).toBe(
    JSON.stringify(joinNone.body).replaceAll(nobody, "NAME"),
  );
  const groups = await apiOk("GET", "/api/v1/me/groups", { key: alice.key });
  expect(JSON.stringify(groups)).not.toContain(bobGroup);
  // Adding herself through the admin route is refused.
  const added = await api("PUT", `/api/v1/groups/${bobGroup}/members/${alice.id}`, { key: alice.key });
  expect(added.status).toBe(403);
  expect(
    (await mcpRaw(`/api/mcp/${bobGroup}`, rpc("tools/list"), { key: alice.key })).status,
    "still not a member",
  ).toBe(404);
});

test("Bob's session: with Alice's key his session id is unknown for POST, GET and DELETE, and his session lives on", async () => {
  const path = `/api/mcp/${bobGroup}`;
  const sessionId = await openSession("/api/mcp", bob.key);
  const bobTool = `${bobServer}-whoami`;
  const headers = { "Mcp-Protocol-Version": "2025-11-25" };

  const post = await mcpRaw("/api/mcp", rpc("tools/call", { name: bobTool, arguments: {} }), {
    key: alice.key,
    sessionId,
    headers,
  });
  expect(post.status).toBe(404);
  expect(post.text).not.toContain(bobToken);
  const stream = await mcpRaw("/api/mcp", null, { key: alice.key, sessionId, headers, method: "GET" });
  expect(stream.status).toBe(404);
  const end = await mcpRaw("/api/mcp", null, { key: alice.key, sessionId, headers, method: "DELETE" });
  expect(end.status).toBe(404);
  // On his group's endpoint she is refused before the session is even looked at.
  expect((await mcpRaw(path, rpc("tools/list"), { key: alice.key, sessionId, headers })).status).toBe(404);
  // Guessing a neighbour of his id finds nothing, for him either.
  const neighbour = sessionId.slice(0, -1) + (sessionId.endsWith("a") ? "b" : "a");
  expect((await inSession("/api/mcp", bob.key, neighbour, rpc("tools/list"))).status).toBe(404);
  // A 2026-07-28 request carrying his session id is served as Alice's own stateless request.
  const modern = await modernRaw(
    "/api/mcp",
    alice.key,
    "tools/call",
    { name: bobTool, arguments: {} },
    {
      "Mcp-Session-Id": sessionId,
      "Mcp-Protocol-Version": MODERN_VERSION,
    },
  );
  expect(JSON.stringify(modern.message)).not.toContain(bobToken);

  const his = await inSession(
    "/api/mcp",
    bob.key,
    sessionId,
    rpc("tools/call", { name: bobTool, arguments: {} }),
  );
  expect(his.status).toBe(200);
  expect(seenBy(his.message).authorization).toBe(`Bearer ${bobToken}`);
});

test("Bob's credential: Alice cannot read, replace or remove it through ids, fields, paths or templates", async () => {
  const mine = await apiOk("GET", "/api/v1/me/credentials", { key: alice.key });
  const hisList = await apiOk("GET", "/api/v1/me/credentials", { key: bob.key });
  const hisHint = hisList.find((c: { name: string }) => c.name === "SVC_TOKEN")?.hint;
  expect(hisHint).toBeTruthy();
  expect(JSON.stringify(mine)).not.toContain(bobToken);
  expect(JSON.stringify(mine)).not.toContain(hisHint);

  // Naming Bob in the body or the query changes nothing of his.
  const planted = `secret-value-xu-planted-${randomUUID()}`;
  const withField = await api("PUT", "/api/v1/me/credentials/SVC_TOKEN", {
    key: alice.key,
    body: { value: planted, userId: bob.id },
  });
  expect(withField.status, JSON.stringify(withField.body)).toBe(422);
  const withQuery = await api("PUT", `/api/v1/me/credentials/SVC_TOKEN?userId=${bob.id}`, {
    key: alice.key,
    body: { value: planted },
  });
  expect(withQuery.status).toBe(200);
  expect(seenBy(await call(alice, `${aliceServer}-whoami`)).authorization).toBe(`Bearer ${planted}`);
  await bobIsUnharmed();

  // Names that try to walk elsewhere are refused as names, not looked up ("%2E%2E" is resolved as
  // ".." by the URL parser before it leaves the client, and reaches /api/v1/me, which has no PUT).
  for (const name of [
    "..%2FSVC_TOKEN",
    "SVC_TOKEN%2F..",
    "%2E%2E",
    `${bob.id}%2FSVC_TOKEN`,
    "svc_token%00",
  ]) {
    const put = await api("PUT", `/api/v1/me/credentials/${name}`, {
      key: alice.key,
      body: { value: planted },
    });
    expect([400, 404, 405, 422], `PUT ${name}: ${JSON.stringify(put.body)}`).toContain(put.status);
    const removed = await api("DELETE", `/api/v1/me/credentials/${name}`, { key: alice.key });
    expect([400, 404, 405, 422], `DELETE ${name}`).toContain(removed.status);
  }
  // Removing hers removes hers only.
  await apiOk("DELETE", "/api/v1/me/credentials/SVC_TOKEN", { key: alice.key });
  await bobIsUnharmed();

  // Template text in her value is sent as she typed it: it never expands into another value.
  const tricky = "${USER_SVC_TOKEN}${MCPHUB_USER_ID}$${USER_SVC_TOKEN}";
  await link(alice, "SVC_TOKEN", tricky);
  expect(seenBy(await call(alice, `${aliceServer}-whoami`)).authorization).toBe(`Bearer ${tricky}`);
  await link(alice, "SVC_TOKEN", aliceToken);
  expect(seenBy(await call(alice, `${aliceServer}-whoami`)).authorization).toBe(`Bearer ${aliceToken}`);
  await bobIsUnharmed();
});

test("Bob's keys: Alice cannot list, revoke or forge them, nor mix his key into her request", async ({
  signInAs,
}) => {
  const mine = await apiOk("GET", "/api/v1/me/keys", { key: alice.key });
  expect(JSON.stringify(mine)).not.toContain(bob.keyId);

  const revoke = await api("DELETE", `/api/v1/me/keys/${bob.keyId}`, { key: alice.key });
  const revokeNone = await api("DELETE", `/api/v1/me/keys/${randomUUID()}`, { key: alice.key });
  expect(revoke.status).toBe(404);
  expect(revoke.body).toEqual(revokeNone.body);
  for (const [method, route] of [
    ["GET", `/api/v1/users/${bob.id}/keys`],
    ["POST", `/api/v1/users/${bob.id}/keys`],
    ["DELETE", `/api/v1/users/${bob.id}/keys/${bob.keyId}`],
    ["PATCH", `/api/v1/users/${bob.id}`],
    ["DELETE", `/api/v1/users/${bob.id}`],
  ] as const) {
    const answer = await api(method, route, { key: alice.key, body: method === "GET" ? undefined : {} });
    expect(answer.status, `${method} ${route}`).toBe(403);
  }

  // A key that differs from his by one character, or splices his onto hers, is no key at all.
  const flipped = bob.key.slice(0, -1) + (bob.key.endsWith("A") ? "B" : "A");
  const spliced = bob.key.slice(0, 16) + alice.key.slice(16);
  for (const forged of [flipped, spliced, bob.key.toLowerCase(), `${bob.key}${bob.key}`]) {
    if (forged === bob.key) continue;
    expect((await mcpRaw("/api/mcp", rpc("tools/list"), { key: forged })).status, forged).toBe(401);
  }
  // Her Authorization header and his key in the query: never served as Bob.
  const mixed = await call(alice, `${bobServer}-whoami`, "/api/mcp", `?key=${encodeURIComponent(bob.key)}`);
  expect(JSON.stringify(mixed)).not.toContain(bobToken);

  // The portal's revoke action takes the person from the session, not from the request.
  const session = await signInAs(alice);
  const action = await callAction(
    session,
    "/account/keys",
    builtActionId("app/(portal)/account/keys/actions.ts", "revokeKeyAction"),
    [bob.keyId],
  );
  expect((await actionState(action))?.status).not.toBe("success");
  await bobIsUnharmed();
});

test("Bob's audit rows: Alice reads no call log, no admin trail and no export, by REST, page or session", async ({
  signInAs,
}) => {
  const routes = [
    "/api/v1/audit",
    `/api/v1/audit?user=${bob.id}`,
    `/api/v1/audit?user=${encodeURIComponent(bob.email)}&format=csv`,
    "/api/v1/audit/admin-events",
    `/api/v1/audit/admin-events?target=${encodeURIComponent(bob.email)}`,
    "/api/v1/users",
  ];
  for (const route of routes) {
    const answer = await api("GET", route, { key: alice.key });
    expect(answer.status, route).toBe(403);
    expect(JSON.stringify(answer.body)).not.toContain(bob.email);
  }
  const session: APIRequestContext = await signInAs(alice);
  for (const route of [...routes, "/admin/audit", "/admin/audit/changes", "/admin", "/admin/users"]) {
    const answer = await session.get(route, { maxRedirects: 0 });
    expect(answer.status(), route).toBe(403);
    expect(await answer.text(), route).not.toContain(bob.email);
  }
  // Her own view of herself names nobody else.
  const me = await apiOk("GET", "/api/v1/me", { key: alice.key });
  expect(JSON.stringify(me)).not.toContain(bob.email);
});

test("Bob's isolated process: Alice cannot list, read, restart or stop it, nor start one as him", async () => {
  const bobTool = `${probeServer}-whoami`;
  expect(probeReport(await call(bob, bobTool)).env.PROBE_TOKEN).toBe(bobToken);
  const listed = (await processesOf(probeServer)).find((p) => p.userId === bob.id);
  if (!listed?.pid) throw new Error(`Bob's process is not listed: ${JSON.stringify(listed)}`);

  for (const [method, route] of [
    ["GET", "/api/worker/processes"],
    ["POST", "/api/worker/processes"],
    ["GET", `/api/worker/processes/${listed.id}`],
    ["GET", `/api/worker/processes/${listed.id}/logs`],
    ["POST", `/api/worker/processes/${listed.id}/restart`],
    ["DELETE", `/api/worker/processes/${listed.id}`],
  ] as const) {
    const body = method === "POST" ? { userId: bob.id, server: probeServer } : undefined;
    const answer = await api(method, route, { key: alice.key, body });
    expect([403, 405], `${method} ${route}`).toContain(answer.status);
    expect(JSON.stringify(answer.body)).not.toContain(bob.email);
  }
  // Her own call gets her own process, with her value only.
  const hers = probeReport(await call(alice, bobTool));
  expect(hers.env.PROBE_TOKEN).toBe(aliceToken);
  expect(JSON.stringify(hers)).not.toContain(bobToken);
  // His process is the same one, untouched.
  const after = (await processesOf(probeServer)).find((p) => p.userId === bob.id);
  expect(after?.pid).toBe(listed.pid);
  expect(alive(listed.pid)).toBe(true);
  const again = probeReport(await call(bob, bobTool));
  expect(again.env.PROBE_TOKEN).toBe(bobToken);
  // Two processes (pids as the host sees them: inside bubblewrap's PID namespace each is pid 2).
  const hersListed = (await processesOf(probeServer)).find((p) => p.userId === alice.id);
  expect(hersListed?.pid).toBeGreaterThan(0);
  expect(hersListed?.pid).not.toBe(listed.pid);
});
