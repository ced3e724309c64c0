import { readFileSync } from "node:fs";
import path from "node:path";
import { Client, type Tool } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { expect, test } from "@playwright/test";
import { ARTIFACTS_DIR } from "../support/env";
import {
  connectV1,
  connectV2,
  EVERYTHING_STDIO,
  LATEST_LEGACY_VERSION,
  MODERN_VERSION,
  modernRaw,
  personWithEverything,
} from "../support/mcp";

// A person with a key and one active public group holding server-everything, reached by the SDK's
// own clients (v2 and v1, both protocol revisions) on every path the hub answers.

/** What server-everything lists when asked directly over stdio, with no client capabilities (as the hub asks). */
async function listDirectly(): Promise<Tool[]> {
  const client = new Client({ name: "direct", version: "1.0.0" });
  await client.connect(
    new StdioClientTransport({
      command: EVERYTHING_STDIO.command,
      args: [...EVERYTHING_STDIO.args],
      stderr: "ignore",
    }),
  );
  try {
    return (await client.listTools()).tools;
  } finally {
    await client.close();
  }
}

test("the v2 client initializes, lists tools unchanged but for their names, and calls echo", async () => {
  const { person, server } = await personWithEverything("ada");
  const { client, transport } = await connectV2("/api/mcp", person.key);
  try {
    expect(client.getServerVersion()?.name).toBe("mcphub");
    expect(client.getNegotiatedProtocolVersion()).toBe(LATEST_LEGACY_VERSION);
    expect(client.getProtocolEra()).toBe("legacy");
    expect(transport.sessionId).toMatch(/^[A-Za-z0-9_-]{32,}$/);

    const { tools } = await client.listTools();
    const direct = await listDirectly();
    expect(direct.length).toBeGreaterThan(5);
    // Every upstream tool, in the upstream's order, with description, inputSchema, outputSchema and
    // annotations exactly as the upstream gave them: only the name gains the server's prefix.
    expect(tools).toEqual(direct.map((tool) => ({ ...tool, name: `${server}-${tool.name}` })));
    const echo = tools.find((tool) => tool.name === `${server}-echo`);
    expect(echo?.inputSchema).toMatchObject({ type: "object", required: ["message"] });
    expect(echo?.annotations).toMatchObject({ readOnlyHint: true });
    for (const tool of tools) expect(tool.name).toMatch(/^[A-Za-z0-9_-]{1,64}$/);

    const result = await client.callTool({ name: `${server}-echo`, arguments: { message: "hello hub" } });
    expect(result).toEqual({ content: [{ type: "text", text: "Echo: hello hub" }] });

    const structured = await client.callTool({ name: `${server}-get-sum`, arguments: { a: 2, b: 3 } });
    expect(structured.isError).toBeFalsy();
    expect(JSON.stringify(structured.content)).toContain("5");
  } finally {
    await transport.terminateSession().catch(() => {});
    await client.close();
  }
});

test("the v2 client sees prompts and resources pass through, and reads resources by URI", async () => {
  const { person, server } = await personWithEverything("bea");
  const { client, transport } = await connectV2("/api/mcp", person.key);
  try {
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toContain(`${server}-simple-prompt`);
    const argsPrompt = prompts.find((p) => p.name === `${server}-args-prompt`);
    expect(argsPrompt?.arguments?.map((a) => a.name)).toContain("city");
    const prompt = await client.getPrompt({ name: `${server}-args-prompt`, arguments: { city: "Lyon" } });
    expect(JSON.stringify(prompt.messages)).toContain("Lyon");

    const { resources } = await client.listResources();
    const architecture = resources.find((r) => r.uri === "demo://resource/static/document/architecture.md");
    expect(architecture).toMatchObject({ mimeType: "text/markdown" });
    const read = await client.readResource({ uri: "demo://resource/static/document/architecture.md" });
    expect(read.contents[0]).toMatchObject({
      uri: "demo://resource/static/document/architecture.md",
      mimeType: "text/markdown",
    });
    expect((read.contents[0] as { text: string }).text.length).toBeGreaterThan(50);

    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toContain(
      "demo://resource/dynamic/text/{resourceId}",
    );
    // A URI that only a template of a visible server matches is routed to that server.
    const dynamic = await client.readResource({ uri: "demo://resource/dynamic/text/7" });
    expect(dynamic.contents[0]?.uri).toBe("demo://resource/dynamic/text/7");
  } finally {
    await transport.terminateSession().catch(() => {});
    await client.close();
  }
});

test("the v1 client works through /mcp, the path MCPHub clients are configured with", async () => {
  const { person, server } = await personWithEverything("cyd");
  const { client, transport } = await connectV1("/mcp", person.key);
  try {
    expect(client.getServerVersion()?.name).toBe("mcphub");
    expect(transport.protocolVersion).toBe(LATEST_LEGACY_VERSION);
    expect(transport.sessionId).toBeTruthy();
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain(`${server}-echo`);
    const result = await client.callTool({ name: `${server}-echo`, arguments: { message: "v1 here" } });
    expect(result.content).toEqual([{ type: "text", text: "Echo: v1 here" }]);
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toContain(`${server}-simple-prompt`);
    const { resources } = await client.listResources();
    expect(resources.length).toBeGreaterThan(0);
    const first = resources[0] as { uri: string };
    const read = await client.readResource({ uri: first.uri });
    expect(read.contents[0]?.uri).toBe(first.uri);
    await transport.terminateSession();
  } finally {
    await client.close();
  }
});

test("one group's endpoint answers at /api/mcp/{group} and /mcp/{group}, with the key in ?key=", async () => {
  const { person, server, group } = await personWithEverything("dee");
  for (const endpoint of [`/api/mcp/${group}`, `/mcp/${group}`]) {
    const v1 = await connectV1(endpoint, null, { query: { key: person.key } });
    try {
      const result = await v1.client.callTool({ name: `${server}-echo`, arguments: { message: endpoint } });
      expect(result.content).toEqual([{ type: "text", text: `Echo: ${endpoint}` }]);
    } finally {
      await v1.client.close();
    }
    const v2 = await connectV2(endpoint, null, { query: { key: person.key } });
    try {
      expect((await v2.client.listTools()).tools.map((t) => t.name)).toContain(`${server}-echo`);
    } finally {
      await v2.client.close();
    }
  }
  // The key in a query string never reaches the hub's log.
  const log = readFileSync(path.join(ARTIFACTS_DIR, "hub.log"), "utf8");
  expect(log).not.toContain(person.key);
});

test("a client pinned to 2026-07-28 discovers the hub and calls tools statelessly", async () => {
  const { person, server, group } = await personWithEverything("eve");
  for (const endpoint of ["/api/mcp", `/mcp/${group}`]) {
    const { client, transport } = await connectV2(endpoint, person.key, { modern: true });
    try {
      expect(client.getProtocolEra()).toBe("modern");
      expect(client.getNegotiatedProtocolVersion()).toBe(MODERN_VERSION);
      expect(transport.sessionId).toBeUndefined();
      const discovered = client.getDiscoverResult();
      expect(discovered?.supportedVersions).toContain(MODERN_VERSION);
      expect(discovered?.capabilities.tools).toBeDefined();
      expect(client.getServerVersion()?.name).toBe("mcphub");

      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain(`${server}-echo`);
      const result = await client.callTool({ name: `${server}-echo`, arguments: { message: "modern" } });
      expect(result.content).toEqual([{ type: "text", text: "Echo: modern" }]);
      const read = await client.readResource({ uri: "demo://resource/static/document/architecture.md" });
      expect(read.contents).toHaveLength(1);
    } finally {
      await client.close();
    }
  }
});

test("raw 2026-07-28 requests: server/discover and tools/call with per-request _meta", async () => {
  const { person, server } = await personWithEverything("fay");
  const discover = await modernRaw("/api/mcp", person.key, "server/discover");
  expect(discover.status).toBe(200);
  expect(discover.headers.get("mcp-session-id")).toBeNull();
  expect(discover.message.result).toMatchObject({
    supportedVersions: [MODERN_VERSION],
    capabilities: { tools: { listChanged: true }, prompts: {}, resources: {} },
  });
  expect(discover.message.result._meta["io.modelcontextprotocol/serverInfo"]).toMatchObject({
    name: "mcphub",
  });

  const call = await modernRaw("/api/mcp", person.key, "tools/call", {
    name: `${server}-echo`,
    arguments: { message: "raw modern" },
  });
  expect(call.status).toBe(200);
  expect(call.message.result.content).toEqual([{ type: "text", text: "Echo: raw modern" }]);
});
