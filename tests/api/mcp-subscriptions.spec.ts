import type { ChildProcess } from "node:child_process";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { expect, test } from "@playwright/test";
import { HUB_PORT } from "../support/env";
import { startFixture, stopFixture } from "../support/fixtures";
import {
  createGroup,
  createPerson,
  createServer,
  mcpRaw,
  mcpUrl,
  type Person,
  rpc,
  setGroupActive,
} from "../support/mcp";

/*
 * Resource subscriptions through the hub: a session subscribes, the upstream that holds the resource
 * is subscribed once per connection, and its updates reach the sessions that subscribed through
 * that connection and still see the server, nobody else.
 */

const ASKING = "tests/fixtures/servers/asking-server.mjs";
const BOARD = "note://board";

let fixture: ChildProcess | undefined;
let shared: string;
let own: string;
let plain: string;
let alice: Person;
let bob: Person;
let carol: Person;
let dave: Person;
let erin: Person;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  const port = HUB_PORT + 104 + test.info().workerIndex;
  fixture = await startFixture(ASKING, port);
  shared = await createServer("subhttp", { type: "streamable-http", url: `http://127.0.0.1:${port}/mcp` });
  own = await createServer("subown", {
    type: "stdio",
    command: "node",
    args: [ASKING, "--stdio"],
    isolation: "process",
  });
  plain = await createServer("subplain", {
    type: "stdio",
    command: "node",
    args: [ASKING, "--stdio", "--no-subscribe"],
  });
  [alice, bob, carol, dave, erin] = [
    await createPerson("alice"),
    await createPerson("bob"),
    await createPerson("carol"),
    await createPerson("dave"),
    await createPerson("erin"),
  ];
  // Every server lists note://board: each group holds one of them, so the board has one owner.
  const sharedGroup = await createGroup([shared]);
  for (const person of [alice, bob]) await setGroupActive(person, sharedGroup);
  const ownGroup = await createGroup([own]);
  for (const person of [dave, erin]) await setGroupActive(person, ownGroup);
  await setGroupActive(carol, await createGroup([plain]));
});

test.afterAll(async () => {
  await stopFixture(fixture);
});

/** A session that records the resources it hears were updated. */
async function session(person: Person) {
  const updates: string[] = [];
  const client = new Client({ name: "subscriber", version: "1.0.0" });
  client.setNotificationHandler("notifications/resources/updated", (notification) => {
    updates.push(notification.params.uri);
  });
  const transport = new StreamableHTTPClientTransport(mcpUrl("/api/mcp"), {
    requestInit: { headers: { Authorization: `Bearer ${person.key}` } },
  });
  await client.connect(transport);
  return { client, transport, updates };
}

const text = (result: unknown) => (result as { content: Array<{ text: string }> }).content[0]?.text;

/** Waits a moment for notifications still on their way. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

test("the hub offers subscriptions to sessions", async () => {
  const a = await session(alice);
  try {
    expect(a.client.getServerCapabilities()?.resources).toMatchObject({ subscribe: true, listChanged: true });
  } finally {
    await a.client.close();
  }
});

test("a shared connection: the upstream is subscribed once, updates reach each subscribed session, not the others", async () => {
  const [a, b, c] = await Promise.all([session(alice), session(bob), session(carol)]);
  try {
    await a.client.subscribeResource({ uri: BOARD });
    await b.client.subscribeResource({ uri: BOARD });
    expect(text(await a.client.callTool({ name: `${shared}-subscriptions`, arguments: {} }))).toBe(
      JSON.stringify([BOARD]),
    );
    await a.client.callTool({ name: `${shared}-touch`, arguments: { uri: BOARD } });
    await settle();
    expect(a.updates).toEqual([BOARD]);
    expect(b.updates).toEqual([BOARD]);
    expect(c.updates).toEqual([]);

    // Alice leaves: Bob still hears, Alice does not; the upstream stays subscribed for Bob.
    await a.client.unsubscribeResource({ uri: BOARD });
    await b.client.callTool({ name: `${shared}-touch`, arguments: { uri: BOARD } });
    await settle();
    expect(a.updates).toEqual([BOARD]);
    expect(b.updates).toEqual([BOARD, BOARD]);

    // Bob's session ends: the last subscriber is gone, so is the upstream's subscription.
    await b.transport.terminateSession();
    await b.client.close();
    await expect
      .poll(async () => text(await a.client.callTool({ name: `${shared}-subscriptions`, arguments: {} })))
      .toBe("[]");
  } finally {
    await Promise.all([a.client.close(), b.client.close(), c.client.close()]);
  }
});

test("a person's own process: its updates reach its owner only", async () => {
  const [d, e] = await Promise.all([session(dave), session(erin)]);
  try {
    await d.client.subscribeResource({ uri: BOARD });
    await e.client.subscribeResource({ uri: BOARD });
    // Dave changes the board in his own process; Erin's process has not changed.
    await d.client.callTool({ name: `${own}-touch`, arguments: { uri: BOARD } });
    await settle();
    expect(d.updates).toEqual([BOARD]);
    expect(e.updates).toEqual([]);
    await e.client.callTool({ name: `${own}-touch`, arguments: { uri: BOARD } });
    await settle();
    expect(d.updates).toEqual([BOARD]);
    expect(e.updates).toEqual([BOARD]);
  } finally {
    await Promise.all([d.client.close(), e.client.close()]);
  }
});

test("bad subscriptions: an unknown resource, a server without subscriptions, no session", async () => {
  const c = await session(carol);
  try {
    await expect(c.client.subscribeResource({ uri: "note://nowhere" })).rejects.toThrow(
      "Resource not found: note://nowhere",
    );
    // Carol sees the board only on the server that offers no subscriptions.
    await expect(c.client.subscribeResource({ uri: BOARD })).rejects.toThrow(
      `${plain} does not offer subscriptions to its resources; read ${BOARD} again to see changes`,
    );
    // Unsubscribing from something never subscribed is not an error.
    await c.client.unsubscribeResource({ uri: BOARD });
  } finally {
    await c.client.close();
  }
  // A stateless request has no stream to carry updates: the method is not offered there.
  const stateless = await mcpRaw("/api/mcp", rpc("resources/subscribe", { uri: BOARD }), { key: alice.key });
  expect(stateless.message.error.code).toBe(-32601);
});
