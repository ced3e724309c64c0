import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import {
  api,
  apiOk,
  connectV2,
  createGroup,
  createKey,
  createPerson,
  createServer,
  mcpRaw,
  personWithEverything,
  rpc,
  setGroupActive,
} from "../support/mcp";

// Every tools/call leaves a row in the call log, which admins read at GET /api/v1/audit: who, with
// which key, which server and tool, how it ended, how long it took, and the size of the arguments,
// never the arguments or the result themselves.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Row = {
  id: string;
  at: string;
  user: { id: string; email: string } | null;
  key: { id: string; name: string; partialKey: string } | null;
  server: string;
  serverId: string | null;
  tool: string;
  status: string;
  durationMs: number;
  errorClass: string | null;
  requestId: string;
  argumentBytes: number;
  resultBytes: number | null;
};

async function audit(query: Record<string, string | number>): Promise<Row[]> {
  const search = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  const body = await apiOk("GET", `/api/v1/audit?${search}`);
  return body.calls;
}

test("a tools/call leaves a row with who, which key, what and how, never the arguments or the result", async () => {
  const { person, server } = await personWithEverything("aud");
  const secret = `secret-${randomBytes(8).toString("hex")}`;
  const args = { message: secret };
  const answer = await mcpRaw("/api/mcp", rpc("tools/call", { name: `${server}-echo`, arguments: args }), {
    key: person.key,
  });
  expect(answer.message.result.content).toEqual([{ type: "text", text: `Echo: ${secret}` }]);

  const response = await api("GET", `/api/v1/audit?user=${encodeURIComponent(person.email)}`);
  expect(response.status).toBe(200);
  expect(response.headers.get("cache-control")).toBe("no-store");
  const rows: Row[] = response.body.calls;
  expect(rows).toHaveLength(1);
  const [row] = rows;
  expect(row).toEqual({
    id: expect.stringMatching(UUID),
    at: expect.any(String),
    user: { id: person.id, email: person.email },
    key: { id: person.keyId, name: "aud laptop", partialKey: `mcphub_…${person.key.slice(-4)}` },
    server,
    serverId: expect.stringMatching(UUID),
    tool: "echo",
    status: "ok",
    durationMs: expect.any(Number),
    errorClass: null,
    requestId: expect.stringMatching(UUID),
    argumentBytes: Buffer.byteLength(JSON.stringify(args)),
    resultBytes: expect.any(Number),
  });
  expect(row?.durationMs).toBeGreaterThanOrEqual(0);
  expect(row?.resultBytes).toBeGreaterThan(secret.length);
  expect(Date.now() - Date.parse(row?.at ?? "")).toBeLessThan(60_000);
  // Neither the arguments nor the result are kept.
  expect(JSON.stringify(response.body)).not.toContain(secret);
});

test("a tool name PostgreSQL cannot store (it holds a NUL) is logged, and holds back no one else's rows", async () => {
  const odd = await createServer("odd", {
    type: "stdio",
    command: "node",
    args: ["tests/fixtures/servers/odd-names-server.mjs"],
    toolPrefix: "odd",
  });
  const caller = await createPerson("oddcall");
  await setGroupActive(caller, await createGroup([odd]));
  const { person: bystander, server } = await personWithEverything("bystander");
  const [tool] = (await mcpRaw("/api/mcp", rpc("tools/list"), { key: caller.key })).message.result.tools;
  // Made safe for clients, with a hash of the real name.
  expect(tool.name).toMatch(/^odd-nul_tool_[0-9a-f]{8}$/);
  const called = await mcpRaw("/api/mcp", rpc("tools/call", { name: tool.name, arguments: {} }), {
    key: caller.key,
  });
  expect(called.message.result.content).toEqual([{ type: "text", text: "ok" }]);
  const echoed = await mcpRaw(
    "/api/mcp",
    rpc("tools/call", { name: `${server}-echo`, arguments: { message: "still logged" } }),
    { key: bystander.key },
  );
  expect(echoed.message.result.isError).toBeFalsy();

  // The admin's listing and Test connection store the name with U+FFFD for the NUL (a 500 before).
  const tested = await api("POST", `/api/v1/servers/${odd}/test`);
  expect(tested.status).toBe(200);
  expect(tested.body.tools.map((t: { name: string }) => t.name)).toEqual(["nul\u0000tool"]);
  expect((await apiOk("GET", `/api/v1/servers/${odd}`)).tools).toMatchObject([{ name: "nul\uFFFDtool" }]);

  // Reading the log writes what is queued: both rows, the NUL shown as U+FFFD.
  expect(await audit({ user: bystander.id })).toMatchObject([{ server, tool: "echo", status: "ok" }]);
  expect(await audit({ user: caller.id })).toMatchObject([
    { server: odd, tool: "nul\uFFFDtool", status: "ok" },
  ]);
});

test("failed calls are logged with their status; unknown tools are not calls of any server", async () => {
  const { person, server } = await personWithEverything("fail");
  const call = (name: string, args: Record<string, unknown>) =>
    mcpRaw("/api/mcp", rpc("tools/call", { name, arguments: args }), { key: person.key });
  expect((await call(`${server}-echo`, {})).message.result.isError).toBe(true);
  expect((await call("no-such-tool", { message: "x" })).message.error.code).toBe(-32602);

  const rows = await audit({ user: person.id });
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ server, tool: "echo", status: "tool_error", argumentBytes: 2 });
});

test("rows come newest first, each call with its own request id, and the filters narrow them", async () => {
  const { person, server } = await personWithEverything("flt");
  const { client } = await connectV2("/api/mcp", person.key);
  try {
    const started = new Date();
    await client.callTool({ name: `${server}-echo`, arguments: { message: "first" } });
    await client.callTool({ name: `${server}-get-sum`, arguments: { a: 1, b: 2 } });
    await client.callTool({ name: `${server}-echo`, arguments: {} });
    await client.callTool({ name: `${server}-echo`, arguments: { message: "last" } });

    const all = await audit({ user: person.email.toUpperCase() });
    expect(all.map((r) => [r.tool, r.status])).toEqual([
      ["echo", "ok"],
      ["echo", "tool_error"],
      ["get-sum", "ok"],
      ["echo", "ok"],
    ]);
    expect(all.map((r) => r.argumentBytes)).toEqual([18, 2, 13, 19]);
    // The hub's own id for each call: the JSON-RPC ids of one connection repeat across connections.
    expect(new Set(all.map((r) => r.requestId)).size).toBe(4);
    const times = all.map((r) => Date.parse(r.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    expect((await audit({ user: person.id, tool: "get-sum" })).map((r) => r.tool)).toEqual(["get-sum"]);
    expect((await audit({ user: person.id, status: "tool_error" })).map((r) => r.status)).toEqual([
      "tool_error",
    ]);
    expect(await audit({ user: person.id, server })).toHaveLength(4);
    expect(await audit({ user: person.id, server: `${server}-other` })).toHaveLength(0);
    expect((await audit({ user: person.id, limit: 2 })).map((r) => r.id)).toEqual(
      all.slice(0, 2).map((r) => r.id),
    );
    expect(await audit({ user: person.id, from: started.toISOString() })).toHaveLength(4);
    expect(
      await audit({ user: person.id, to: new Date(started.getTime() - 60_000).toISOString() }),
    ).toHaveLength(0);
    const newest = all[0] as Row;
    expect((await audit({ user: person.id, from: newest.at, to: newest.at })).map((r) => r.id)).toEqual([
      newest.id,
    ]);
    // Without a user filter the admin sees everyone's calls, this person's among them.
    const everyone = await audit({ server, limit: 1000 });
    expect(everyone.map((r) => r.id)).toEqual(all.map((r) => r.id));
  } finally {
    await client.close();
  }
});

test("the audit filters are validated, naming the field", async () => {
  for (const [query, field] of [
    ["limit=0", "limit"],
    ["limit=1001", "limit"],
    ["limit=ten", "limit"],
    ["status=fine", "status"],
    ["from=yesterday", "from"],
    ["to=2026-13-45", "to"],
    ["from=2026-02-01&to=2026-01-01", "from"],
    ["arguments=1", "arguments"],
    ["user=a&user=b", "user"],
  ] as const) {
    const response = await api("GET", `/api/v1/audit?${query}`);
    expect(response.status, query).toBe(422);
    expect(response.body.error.code).toBe("validation_failed");
    expect(Object.keys(response.body.error.fields ?? {}), query).toContain(field);
  }
});

test("the audit log is for admins only", async () => {
  const { person } = await personWithEverything("nosy");
  const forbidden = await api("GET", "/api/v1/audit", { key: person.key });
  expect(forbidden.status).toBe(403);
  expect(forbidden.body.error.code).toBe("forbidden");
  const anonymous = await api("GET", "/api/v1/audit", { key: null });
  expect(anonymous.status).toBe(401);
  const document = await apiOk("GET", "/api/v1/openapi.json");
  const operation = document.paths["/api/v1/audit"].get;
  expect(operation.tags).toEqual(["admin"]);
  expect(operation.parameters.map((p: { name: string }) => p.name)).toEqual([
    "user",
    "server",
    "tool",
    "status",
    "from",
    "to",
    "limit",
    "cursor",
    "format",
  ]);
});

test("a call made with a second key of the same person is logged under that key", async () => {
  const { person, server } = await personWithEverything("two");
  const second = await createKey(person, { name: "desktop" });
  // One 2025-11-25 session, opened with the first key and used with the second.
  const { client, transport } = await connectV2("/api/mcp", person.key);
  try {
    await client.callTool({ name: `${server}-echo`, arguments: { message: "from laptop" } });
    const sessionId = transport.sessionId as string;
    const viaSecond = await mcpRaw(
      "/api/mcp",
      rpc("tools/call", { name: `${server}-echo`, arguments: { message: "from desktop" } }),
      { key: second.key, sessionId, headers: { "Mcp-Protocol-Version": "2025-11-25" } },
    );
    expect(viaSecond.message.result.content).toEqual([{ type: "text", text: "Echo: from desktop" }]);
  } finally {
    await client.close();
  }
  const rows = await audit({ user: person.id });
  expect(rows.map((r) => r.key?.name)).toEqual(["desktop", "two laptop"]);
  expect(rows[0]?.key?.id).toBe(second.id);
});
