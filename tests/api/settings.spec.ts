import { type APIRequestContext, expect, test } from "@playwright/test";
import { api, createUserWithKey, expectStatus, unique } from "../support/api";
import { ADMIN, HUB_SHARED_SECRET } from "../support/env";

type Outcome = { kind: "server" | "group"; name: string; status: string; messages: string[] };
type Settings = { mcpServers: Record<string, Record<string, unknown>>; groups: Array<{ name: string }> };

const EVERYTHING = ["node_modules/@modelcontextprotocol/server-everything/dist/index.js", "stdio"];

async function importFile(request: APIRequestContext, file: unknown): Promise<Outcome[]> {
  const answer = await api(request, "POST", "/api/v1/settings/import", { body: file });
  expectStatus(answer, 200);
  return answer.body.results;
}

async function exportFile(request: APIRequestContext): Promise<{ settings: Settings; text: string }> {
  const answer = await api(request, "GET", "/api/v1/settings/export");
  expectStatus(answer, 200);
  expect(answer.headers["content-disposition"]).toBe('attachment; filename="mcp_settings.json"');
  expect(answer.headers["cache-control"]).toBe("no-store");
  return { settings: answer.body, text: JSON.stringify(answer.body) };
}

/** The part of an export that this test created (the hub is shared with tests running alongside). */
function only(settings: Settings, servers: string[], groups: string[]): Settings {
  return {
    mcpServers: Object.fromEntries(servers.map((name) => [name, settings.mcpServers[name] ?? {}])),
    groups: groups.map((name) => settings.groups.find((g) => g.name === name) ?? { name: `${name} missing` }),
  };
}

function outcome(results: Outcome[], name: string): Outcome {
  const found = results.find((r) => r.name === name);
  if (!found) throw new Error(`no outcome for ${name} in ${JSON.stringify(results)}`);
  return found;
}

test.describe("import", () => {
  test("a file with good and bad entries creates the good ones and reports the bad with reasons", async ({
    request,
  }) => {
    const id = unique("mix");
    const names = {
      stdio: `${id}-stdio`,
      remote: `${id} GitHub PR MCP (ACA)`,
      isolated: `${id}-isolated`,
      noCommand: `${id}-no-command`,
      ftp: `${id}-ftp`,
      shared: `${id}-shared`,
      secret: `${id}-secret`,
      badHeader: `${id}-bad-header`,
    };
    const remoteName = `${id}-GitHub-PR-MCP-ACA`;
    const file = {
      mcpServers: {
        [names.stdio]: { command: "node", args: EVERYTHING, owner: "admin" },
        [names.remote]: {
          type: "streamable-http",
          url: "https://github-pr-mcp-server.example.io/mcp/",
          headers: { Authorization: "Bearer ${USER_GITHUB_TOKEN}" },
        },
        [names.isolated]: {
          type: "user-isolated",
          baseCommand: "npx",
          baseArgs: ["-y", "@modelcontextprotocol/server-filesystem"],
          userTokens: ["GITHUB_TOKEN"],
          userDirectories: ["${USER_HOME_DIR}"],
          riskLevel: "high",
        },
        [names.noCommand]: { type: "stdio", args: ["x"] },
        [names.ftp]: { url: "ftp://files.example.com/mcp" },
        [names.shared]: {
          type: "sse",
          url: "https://h.example.com/sse",
          headers: { "X-Token": "${USER_TOKEN}" },
          isolation: "none",
        },
        [names.secret]: { command: "node", env: { S: "${AUTH_SECRET}" } },
        [names.badHeader]: { url: "https://h.example.com/mcp", headers: { "Bad Header": "x" } },
      },
      groups: [
        { name: `${id}-good`, servers: [names.stdio, names.remote, { name: names.isolated, tools: "all" }] },
        { name: `${id}-bad`, servers: [names.stdio, names.ftp] },
        { name: `${id} bad name`, servers: [] },
      ],
    };

    const results = await importFile(request, file);
    expect(results.map((r) => [r.kind, r.name, r.status])).toEqual([
      ["server", names.stdio, "created"],
      ["server", remoteName, "created"],
      ["server", names.isolated, "created"],
      ["server", names.noCommand, "refused"],
      ["server", names.ftp, "refused"],
      ["server", names.shared, "refused"],
      ["server", names.secret, "refused"],
      ["server", names.badHeader, "refused"],
      ["group", `${id}-good`, "created"],
      ["group", `${id}-bad`, "refused"],
      ["group", `${id} bad name`, "refused"],
    ]);
    expect(outcome(results, names.stdio).messages).toEqual(["type stdio inferred", "ignored fields: owner"]);
    expect(outcome(results, remoteName).messages).toEqual([
      `renamed from "${names.remote}" to ${remoteName}`,
    ]);
    expect(outcome(results, names.isolated).messages).toEqual([
      "user-isolated imported as stdio with isolation process",
    ]);
    expect(outcome(results, names.noCommand).messages).toEqual([
      "command: A stdio server needs a command, such as npx or node",
    ]);
    expect(outcome(results, names.ftp).messages).toEqual([
      "url: The URL must start with http:// or https://",
      "type streamable-http inferred",
    ]);
    expect(outcome(results, names.shared).messages[0]).toMatch(/^isolation: .*pick "token"/);
    expect(outcome(results, names.secret).messages[0]).toBe(
      "env.S: AUTH_SECRET belongs to the hub itself and is never handed to an upstream",
    );
    expect(outcome(results, names.badHeader).messages[0]).toMatch(
      /^headers\.Bad Header: "Bad Header" is not/,
    );
    expect(outcome(results, `${id}-bad`).messages).toEqual([`servers: No server named ${names.ftp}`]);
    expect(outcome(results, `${id} bad name`).messages[0]).toMatch(/^name: Use 1-63 letters/);

    for (const name of [names.stdio, remoteName, names.isolated])
      expectStatus(await api(request, "GET", `/api/v1/servers/${name}`), 200);
    for (const name of [names.noCommand, names.ftp, names.shared, names.secret, names.badHeader])
      expectStatus(await api(request, "GET", `/api/v1/servers/${name}`), 404);
    expectStatus(await api(request, "GET", `/api/v1/groups/${id}-bad`), 404);

    const isolated = (await api(request, "GET", `/api/v1/servers/${names.isolated}`)).body;
    expect(isolated).toMatchObject({
      type: "stdio",
      isolation: "process",
      command: "npx",
      args: ["-y", "@modelcontextprotocol/server-filesystem", "${MCPHUB_USER_HOME}"],
      env: { GITHUB_TOKEN: "${USER_GITHUB_TOKEN}" },
      riskLevel: "high",
      credentials: ["GITHUB_TOKEN"],
    });
    const remote = (await api(request, "GET", `/api/v1/servers/${remoteName}`)).body;
    expect(remote).toMatchObject({ isolation: "token", credentials: ["GITHUB_TOKEN"] });
    const group = (await api(request, "GET", `/api/v1/groups/${id}-good`)).body;
    expect(group.servers.map((s: { name: string }) => s.name)).toEqual([
      names.stdio,
      remoteName,
      names.isolated,
    ]);
  });

  test("a file that is not a settings file is a 422", async ({ request }) => {
    const answer = await api(request, "POST", "/api/v1/settings/import", { body: { mcpServers: [] } });
    expectStatus(answer, 422);
    expect(Object.keys(answer.body.error.fields)).toEqual(["mcpServers"]);
    const groups = await api(request, "POST", "/api/v1/settings/import", { body: { groups: "x" } });
    expectStatus(groups, 422);
    expect(groups.body.error.fields.groups).toEqual(["groups must be a list"]);
  });

  test("an ordinary user cannot import", async ({ request }) => {
    const user = await createUserWithKey(request);
    const name = unique("blocked");
    const answer = await api(request, "POST", "/api/v1/settings/import", {
      key: user.key,
      body: { mcpServers: { [name]: { command: "sh", args: ["-c", "id"] } } },
    });
    expectStatus(answer, 403);
    expectStatus(await api(request, "GET", `/api/v1/servers/${name}`), 404);
  });
});

test.describe("round trip", () => {
  test("import → export → import yields the same configuration, without credential values", async ({
    request,
  }) => {
    const id = unique("trip");
    const servers = [`${id}-stdio`, `${id}-remote`, `${id}-sse`, `${id}-isolated`, `${id}-builtin`];
    const groups = [`${id}-public`, `${id}-restricted`];
    const file = {
      mcpServers: {
        [servers[0] as string]: {
          type: "stdio",
          command: "node",
          args: EVERYTHING,
          env: { SHARED: `\${${HUB_SHARED_SECRET.name}}`, LOG: "debug" },
          description: "reference server",
          toolPrefix: "",
          callTimeoutMs: 30_000,
        },
        [servers[1] as string]: {
          type: "streamable-http",
          url: "https://mcp.example.com/mcp",
          headers: { Authorization: "Bearer ${USER_ATLASSIAN_TOKEN}", "X-Email": "${MCPHUB_USER_EMAIL}" },
          riskLevel: "low",
          contextHeaders: true,
        },
        [servers[2] as string]: {
          type: "sse",
          url: "https://sse.example.com/sse",
          headers: { "X-Api-Key": `\${${HUB_SHARED_SECRET.name}}` },
          enabled: false,
        },
        [servers[3] as string]: {
          type: "user-isolated",
          baseCommand: "npx",
          baseArgs: ["-y", "@modelcontextprotocol/server-github"],
          userTokens: ["GITHUB_TOKEN"],
          riskLevel: "critical",
        },
        [servers[4] as string]: { type: "builtin", builtin: "github", riskLevel: "high" },
      },
      groups: [
        {
          name: groups[0],
          description: "for everyone",
          servers: [servers[1], { name: servers[0], tools: ["echo", "get-sum"] }, servers[4]],
        },
        { name: groups[1], visibility: "restricted", servers: [servers[3], servers[2]] },
      ],
    };

    const first = await importFile(request, file);
    expect(first.map((r) => r.status)).toEqual(Array(7).fill("created"));

    // The same file again changes nothing.
    const repeated = await importFile(request, file);
    expect(repeated.map((r) => [r.name, r.status])).toEqual(
      [...servers, ...groups].map((n) => [n, "unchanged"]),
    );

    const exported = await exportFile(request);
    const mine = only(exported.settings, servers, groups);
    expect(mine.mcpServers[servers[0] as string]).toEqual({
      type: "stdio",
      command: "node",
      args: EVERYTHING,
      env: { SHARED: "${HUB_TEST_SHARED_TOKEN}", LOG: "debug" },
      description: "reference server",
      enabled: true,
      isolation: "none",
      riskLevel: "medium",
      toolPrefix: "",
      callTimeoutMs: 30_000,
    });
    expect(mine.mcpServers[servers[3] as string]).toEqual({
      type: "stdio",
      command: "npx",
      args: ["-y", "@modelcontextprotocol/server-github"],
      env: { GITHUB_TOKEN: "${USER_GITHUB_TOKEN}" },
      enabled: true,
      isolation: "process",
      riskLevel: "critical",
    });
    expect(mine.groups).toEqual([
      {
        name: groups[0],
        description: "for everyone",
        visibility: "public",
        servers: [servers[1], { name: servers[0], tools: ["echo", "get-sum"] }, servers[4]],
      },
      { name: groups[1], visibility: "restricted", servers: [servers[3], servers[2]] },
    ]);

    // No credential values: templates only, never the hub's secret or a key.
    expect(exported.text).not.toContain(HUB_SHARED_SECRET.value);
    expect(exported.text).not.toContain(ADMIN.apiKey);
    expect(exported.text).not.toMatch(/mcphub_[A-Za-z0-9_-]{43}/);
    expect(JSON.stringify(mine)).toContain("${USER_ATLASSIAN_TOKEN}");

    const again = await importFile(request, mine);
    expect(again.map((r) => [r.name, r.status])).toEqual(
      [...servers, ...groups].map((n) => [n, "unchanged"]),
    );
    expect(again.every((r) => r.messages.length === 0)).toBe(true);

    const reexported = await exportFile(request);
    expect(only(reexported.settings, servers, groups)).toEqual(mine);
    // Nothing was rewritten: every server is still at its first configuration version.
    for (const name of servers)
      expect((await api(request, "GET", `/api/v1/servers/${name}`)).body.configVersion, name).toBe(1);

    // A changed entry is reported as updated, and the rest stay unchanged.
    const changed = structuredClone(mine);
    (changed.mcpServers[servers[1] as string] as Record<string, unknown>).riskLevel = "high";
    const third = await importFile(request, changed);
    expect(third.map((r) => [r.name, r.status])).toEqual([
      [servers[0], "unchanged"],
      [servers[1], "updated"],
      [servers[2], "unchanged"],
      [servers[3], "unchanged"],
      [servers[4], "unchanged"],
      [groups[0], "unchanged"],
      [groups[1], "unchanged"],
    ]);
    expect((await api(request, "GET", `/api/v1/servers/${servers[1]}`)).body).toMatchObject({
      riskLevel: "high",
      configVersion: 2,
    });
  });
});
