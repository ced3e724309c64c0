import { expect, test } from "@playwright/test";
import {
  apiOk,
  connectV2,
  createKey,
  createPerson,
  inSession,
  mcpRaw,
  openSession,
  personWithEverything,
  rpc,
  setGroupActive,
} from "../support/mcp";

// A 2025-11-25 session belongs to the person whose key opened it, not to the key: every request
// is authenticated again, with any valid key of that person. A session never outlives the
// person's right to use the hub.

test("a session opened with one key is usable with another key of the same person, and with no other", async () => {
  const { person, server, group } = await personWithEverything("sam");
  const second = await createKey(person, { name: "second" });
  const sessionId = await openSession("/api/mcp", person.key);

  const call = (key: string, message: string) =>
    inSession(
      "/api/mcp",
      key,
      sessionId,
      rpc("tools/call", { name: `${server}-echo`, arguments: { message } }),
    );
  expect((await call(person.key, "one")).message.result.content).toEqual([
    { type: "text", text: "Echo: one" },
  ]);
  const viaSecond = await call(second.key, "two");
  expect(viaSecond.status).toBe(200);
  expect(viaSecond.message.result.content).toEqual([{ type: "text", text: "Echo: two" }]);
  expect(viaSecond.headers.get("mcp-session-id")).toBe(sessionId);

  // The key that opened it is revoked: that key is refused, the session goes on with the other.
  await apiOk("DELETE", `/api/v1/me/keys/${person.keyId}`, { key: second.key });
  expect((await call(person.key, "three")).status).toBe(401);
  expect((await call(second.key, "four")).message.result.content).toEqual([
    { type: "text", text: "Echo: four" },
  ]);

  // Another person, in the same group with a valid key, cannot use it.
  const other = await createPerson("other");
  await setGroupActive(other, group);
  const stolen = await call(other.key, "five");
  expect(stolen.status).toBe(404);
  expect(stolen.message.error.code).toBe(-32001);
});

test("a session is bound to the endpoint it was opened on", async () => {
  const { person, group } = await personWithEverything("end");
  const sessionId = await openSession("/api/mcp", person.key);
  const elsewhere = await inSession(`/api/mcp/${group}`, person.key, sessionId, rpc("tools/list"));
  expect(elsewhere.status).toBe(404);
  // The /mcp alias is the same endpoint.
  const alias = await inSession("/mcp", person.key, sessionId, rpc("tools/list"));
  expect(alias.status).toBe(200);
  expect(alias.message.result.tools.length).toBeGreaterThan(0);
});

test("a disabled person's session stops at the next request", async () => {
  const { person, server } = await personWithEverything("dis");
  const { client, transport } = await connectV2("/api/mcp", person.key);
  try {
    const sessionId = transport.sessionId as string;
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await apiOk("PATCH", `/api/v1/users/${person.id}`, { body: { disabled: true }, status: 200 });

    const refused = await inSession(
      "/api/mcp",
      person.key,
      sessionId,
      rpc("tools/call", { name: `${server}-echo`, arguments: { message: "still?" } }),
    );
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect(refused.message.error).toBe("unauthorized");
    await expect(client.listTools()).rejects.toThrow();
    // New sessions are refused too.
    expect((await mcpRaw("/api/mcp", rpc("tools/list"), { key: person.key })).status).toBe(401);
  } finally {
    await client.close().catch(() => {});
  }
});

test("a session follows the person's groups: leaving one hides its tools inside an open session", async () => {
  const { person, server, group } = await personWithEverything("fol");
  const { client } = await connectV2("/api/mcp", person.key);
  try {
    expect((await client.listTools()).tools.map((t) => t.name)).toContain(`${server}-echo`);
    await setGroupActive(person, group, false);
    expect((await client.listTools()).tools).toEqual([]);
    await expect(client.callTool({ name: `${server}-echo`, arguments: { message: "x" } })).rejects.toThrow(
      `Unknown tool: ${server}-echo`,
    );
  } finally {
    await client.close();
  }
});
