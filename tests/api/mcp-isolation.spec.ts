import { expect, test } from "@playwright/test";
import {
  apiOk,
  connectV2,
  createGroup,
  createPerson,
  createServer,
  mcpRaw,
  rpc,
  setGroupActive,
  unknownToolError,
} from "../support/mcp";

// People see and call only what their own groups expose: never another person's groups, never a
// tool their group's tool choice leaves out.

test("Alice and Bob, in different groups, each see and call only their own group's tools", async () => {
  const [aliceServer, bobServer] = await Promise.all([createServer("alice-srv"), createServer("bob-srv")]);
  const [aliceGroup, bobGroup] = await Promise.all([
    createGroup([aliceServer], { visibility: "restricted" }),
    createGroup([bobServer]),
  ]);
  const [alice, bob] = await Promise.all([createPerson("alice"), createPerson("bob")]);
  await apiOk("PUT", `/api/v1/groups/${aliceGroup}/members/${alice.id}`, { status: 204 });
  await setGroupActive(bob, bobGroup);

  const aliceClient = await connectV2("/api/mcp", alice.key);
  const bobClient = await connectV2("/api/mcp", bob.key);
  try {
    const aliceTools = (await aliceClient.client.listTools()).tools.map((t) => t.name);
    const bobTools = (await bobClient.client.listTools()).tools.map((t) => t.name);
    expect(aliceTools).toContain(`${aliceServer}-echo`);
    expect(bobTools).toContain(`${bobServer}-echo`);
    expect(aliceTools.every((name) => name.startsWith(`${aliceServer}-`))).toBe(true);
    expect(bobTools.every((name) => name.startsWith(`${bobServer}-`))).toBe(true);

    const bobResources = (await bobClient.client.listPrompts()).prompts.map((p) => p.name);
    expect(bobResources.some((name) => name.startsWith(aliceServer))).toBe(false);

    // Bob knows Alice's tool names (they are not secret) but cannot call them, on any path.
    for (const path of ["/api/mcp", `/api/mcp/${bobGroup}`]) {
      const answer = await mcpRaw(
        path,
        rpc("tools/call", { name: `${aliceServer}-echo`, arguments: { message: "let me in" } }),
        { key: bob.key },
      );
      expect(answer.status).toBe(200);
      expect(answer.message.error).toEqual(unknownToolError(`${aliceServer}-echo`));
      const prompt = await mcpRaw(path, rpc("prompts/get", { name: `${aliceServer}-simple-prompt` }), {
        key: bob.key,
      });
      expect(prompt.message.error).toEqual({
        code: -32602,
        message: `Unknown prompt: ${aliceServer}-simple-prompt`,
      });
    }
    expect((await mcpRaw(`/api/mcp/${aliceGroup}`, rpc("tools/list"), { key: bob.key })).status).toBe(404);

    // Alice's own call works, so the refusal above is about Bob, not about the tool.
    const mine = await aliceClient.client.callTool({
      name: `${aliceServer}-echo`,
      arguments: { message: "mine" },
    });
    expect(mine.content).toEqual([{ type: "text", text: "Echo: mine" }]);
  } finally {
    await aliceClient.client.close();
    await bobClient.client.close();
  }
});

test("a group's tool choice hides the other tools from tools/list and tools/call", async () => {
  const server = await createServer("choice");
  const group = await createGroup([{ name: server, tools: ["echo"] }]);
  const person = await createPerson("chooser");
  await setGroupActive(person, group);

  const listed = await mcpRaw("/api/mcp", rpc("tools/list"), { key: person.key });
  expect(listed.message.result.tools.map((t: { name: string }) => t.name)).toEqual([`${server}-echo`]);

  const echo = await mcpRaw(
    "/api/mcp",
    rpc("tools/call", { name: `${server}-echo`, arguments: { message: "chosen" } }),
    { key: person.key },
  );
  expect(echo.message.result.content).toEqual([{ type: "text", text: "Echo: chosen" }]);

  const hidden = await mcpRaw(
    "/api/mcp",
    rpc("tools/call", { name: `${server}-get-sum`, arguments: { a: 1, b: 2 } }),
    { key: person.key },
  );
  expect(hidden.message.error).toEqual(unknownToolError(`${server}-get-sum`));

  // Another group that exposes the same server in full widens what its members see: the union.
  const full = await createGroup([server]);
  await setGroupActive(person, full);
  const widened = await mcpRaw("/api/mcp", rpc("tools/list"), { key: person.key });
  expect(widened.message.result.tools.map((t: { name: string }) => t.name)).toContain(`${server}-get-sum`);
  // ...but the chosen group's own endpoint still shows only its choice.
  const own = await mcpRaw(`/api/mcp/${group}`, rpc("tools/list"), { key: person.key });
  expect(own.message.result.tools.map((t: { name: string }) => t.name)).toEqual([`${server}-echo`]);

  // The admin narrows the choice: it applies to the next request.
  await apiOk("PATCH", `/api/v1/groups/${full}`, {
    body: { servers: [{ name: server, tools: ["get-sum"] }] },
    status: 200,
  });
  const narrowed = await mcpRaw("/api/mcp", rpc("tools/list"), { key: person.key });
  expect(narrowed.message.result.tools.map((t: { name: string }) => t.name).sort()).toEqual(
    [`${server}-echo`, `${server}-get-sum`].sort(),
  );
});

test("a disabled server disappears from everyone's list at once", async () => {
  const server = await createServer("switch");
  const group = await createGroup([server]);
  const person = await createPerson("switcher");
  await setGroupActive(person, group);
  const before = await mcpRaw("/api/mcp", rpc("tools/list"), { key: person.key });
  expect(before.message.result.tools.length).toBeGreaterThan(0);
  await apiOk("PATCH", `/api/v1/servers/${server}`, { body: { enabled: false }, status: 200 });
  const after = await mcpRaw("/api/mcp", rpc("tools/list"), { key: person.key });
  expect(after.message.result.tools).toEqual([]);
  const call = await mcpRaw(
    "/api/mcp",
    rpc("tools/call", { name: `${server}-echo`, arguments: { message: "x" } }),
    { key: person.key },
  );
  expect(call.message.error).toEqual(unknownToolError(`${server}-echo`));
  // The group itself is still theirs: its endpoint lists nothing rather than claiming they left it,
  // while someone who never joined still gets the unknown-group answer.
  const own = await mcpRaw(`/api/mcp/${group}`, rpc("tools/list"), { key: person.key });
  expect(own.status).toBe(200);
  expect(own.message.result.tools).toEqual([]);
  const outsider = await createPerson("outsider");
  expect((await mcpRaw(`/api/mcp/${group}`, rpc("tools/list"), { key: outsider.key })).status).toBe(404);
});
