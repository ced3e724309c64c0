import { AsyncLocalStorage } from "node:async_hooks";
import { Client } from "@modelcontextprotocol/client";
import { InMemoryTransport, McpServer } from "@modelcontextprotocol/server";
import { expect, test } from "@playwright/test";
import type { Server } from "@/lib/db/schema";
import { CallRelay, canRelay, RELAY_CAPABILITIES, type RelayTarget } from "@/lib/upstream/relay";

// The relay's attribution rules, with an upstream in memory. What the upstream sends from
// `outside` runs with no request's context, as a message on a stdio pipe or a standalone stream does.
const outside = AsyncLocalStorage.snapshot();

type Sent = { to: string; method: string; params?: Record<string, unknown> };

async function connected(owner: string | null) {
  const upstream = new McpServer({ name: "upstream", version: "1" }, { capabilities: { logging: {} } });
  upstream.registerTool("ask", { description: "asks on no request's stream" }, async (ctx) => {
    const answer = await outside(() =>
      ctx.mcpReq.elicitInput({
        mode: "form",
        message: "hello?",
        requestedSchema: { type: "object", properties: {} },
      }),
    );
    return { content: [{ type: "text" as const, text: `action=${answer.action}` }] };
  });
  upstream.registerTool("log", { description: "logs on no request's stream" }, async (ctx) => {
    for (const level of ["debug", "error"] as const)
      await outside(() =>
        ctx.mcpReq.notify({ method: "notifications/message", params: { level, data: level } }),
      );
    return { content: [{ type: "text" as const, text: "logged" }] };
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await upstream.connect(serverSide);
  const client = new Client({ name: "hub", version: "1" }, { capabilities: RELAY_CAPABILITIES });
  await client.connect(clientSide);
  const relay = new CallRelay({ name: "up" }, owner);
  relay.install(client);
  return { client, relay };
}

function target(userId: string, sent: Sent[], logLevel?: "error"): RelayTarget {
  return {
    userId,
    client: {
      capabilities: () => ({ elicitation: {} }),
      send: async (request) => {
        sent.push({ to: userId, ...request });
        return { action: "decline" };
      },
    },
    notify: async (notification) => {
      sent.push({ to: userId, ...notification });
    },
    logLevel: () => logLevel,
  };
}

const call = (client: Client, name: string) =>
  client.callTool({ name, arguments: {} }).then((r) => (r.content as Array<{ text: string }>)[0]?.text);

test("a person's own connection: what arrives on no request's stream goes to that person's running call", async () => {
  const { client, relay } = await connected("alice");
  const sent: Sent[] = [];
  expect(await relay.run(target("alice", sent), () => call(client, "ask"))).toBe("action=decline");
  expect(sent).toEqual([
    { to: "alice", method: "elicitation/create", params: expect.objectContaining({ message: "hello?" }) },
  ]);
  await client.close();
});

test("a person's own connection refuses to run another person's request", async () => {
  const { client, relay } = await connected("alice");
  await expect(relay.run(target("bob", []), () => call(client, "ask"))).rejects.toThrow(
    "a request was routed to another person's upstream connection",
  );
  await client.close();
});

test("a shared connection: a question on no request's stream is refused, even with one call running", async () => {
  const { client, relay } = await connected(null);
  const sent: Sent[] = [];
  // The upstream's tool fails with the hub's answer to its question.
  const text = await relay.run(target("alice", sent), () => call(client, "ask"));
  expect(text).toContain(
    "MCPHub passes elicitation/create on only while a request of the person it is for is running",
  );
  expect(sent).toEqual([]);
  await client.close();
});

test("log lines below the person's level are dropped; the logger names the server; none without a running call", async () => {
  const { client, relay } = await connected("alice");
  const sent: Sent[] = [];
  await relay.run(target("alice", sent, "error"), () => call(client, "log"));
  expect(sent).toEqual([
    { to: "alice", method: "notifications/message", params: { level: "error", data: "error", logger: "up" } },
  ]);
  sent.length = 0;
  await call(client, "log"); // not through the relay: nobody's call is running
  expect(sent).toEqual([]);
  await client.close();
});

test("which servers can relay: per-person ones, and shared ones only over streamable HTTP", () => {
  const server = (type: string, isolation: string) => ({ isolation, config: { type } }) as unknown as Server;
  expect(canRelay(server("streamable-http", "none"))).toBe(true);
  expect(canRelay(server("streamable-http", "token"))).toBe(true);
  expect(canRelay(server("sse", "token"))).toBe(true);
  expect(canRelay(server("stdio", "process"))).toBe(true);
  expect(canRelay(server("stdio", "none"))).toBe(false);
  expect(canRelay(server("sse", "none"))).toBe(false);
  expect(canRelay(server("builtin", "builtin"))).toBe(false);
});
