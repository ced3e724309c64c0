import { expect, test } from "@playwright/test";
import { api, createServer, everythingServer, expectStatus, remoteServer, unique } from "../support/api";

test.describe("server CRUD", () => {
  test("create, read, test (records the real tools), change, disable and delete a stdio server", async ({
    request,
  }) => {
    const name = unique("everything");
    const created = await api(request, "POST", "/api/v1/servers", {
      body: everythingServer(name, { description: "The reference server" }),
    });
    expectStatus(created, 201);
    expect(created.body).toMatchObject({
      name,
      type: "stdio",
      command: "node",
      args: ["node_modules/@modelcontextprotocol/server-everything/dist/index.js", "stdio"],
      env: {},
      description: "The reference server",
      enabled: true,
      isolation: "none",
      riskLevel: "medium",
      configVersion: 1,
      credentials: [],
      warnings: [],
      status: { lastError: null, toolCount: null, toolsListedAt: null },
    });
    expect(created.body.id).toMatch(/^[0-9a-f-]{36}$/);

    const listed = await api(request, "GET", "/api/v1/servers");
    expectStatus(listed, 200);
    const entry = listed.body.servers.find((s: { name: string }) => s.name === name);
    expect(entry).toMatchObject({ name, groups: [], status: { toolCount: null, protocolVersion: null } });

    const before = await api(request, "GET", `/api/v1/servers/${name}`);
    expectStatus(before, 200);
    expect(before.body).toMatchObject({ name, tools: [], groups: [] });

    const tested = await api(request, "POST", `/api/v1/servers/${name}/test`);
    expectStatus(tested, 200);
    expect(tested.body.ok, JSON.stringify(tested.body)).toBe(true);
    const toolNames: string[] = tested.body.tools.map((t: { name: string }) => t.name);
    expect(toolNames).toEqual(expect.arrayContaining(["echo", "get-sum"]));
    expect(tested.body.serverName).toBeTruthy();
    // server-everything's SDK (v1) answers initialize with the revision the hub asked for.
    expect(tested.body.protocolVersion).toBe("2025-11-25");
    const echo = tested.body.tools.find((t: { name: string }) => t.name === "echo");
    expect(echo.description).toBe("Echoes back the input string");
    expect(echo.inputSchema).toMatchObject({ type: "object", properties: { message: { type: "string" } } });

    const after = await api(request, "GET", `/api/v1/servers/${name}`);
    expect(after.body.tools.map((t: { name: string }) => t.name)).toEqual(toolNames);
    expect(after.body.status.toolCount).toBe(toolNames.length);
    expect(Date.parse(after.body.status.toolsListedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(after.body.status.lastError).toBeNull();
    expect(after.body.status.protocolVersion).toBe("2025-11-25");

    const patched = await api(request, "PATCH", `/api/v1/servers/${name}`, {
      body: { description: "Changed", riskLevel: "low", toolPrefix: "ev" },
    });
    expectStatus(patched, 200);
    expect(patched.body).toMatchObject({
      name,
      description: "Changed",
      riskLevel: "low",
      toolPrefix: "ev",
      command: "node",
      configVersion: 2,
      warnings: [],
    });

    const disabled = await api(request, "PATCH", `/api/v1/servers/${name}`, { body: { enabled: false } });
    expectStatus(disabled, 200);
    expect(disabled.body).toMatchObject({ enabled: false, configVersion: 3, description: "Changed" });

    const removed = await api(request, "DELETE", `/api/v1/servers/${name}`);
    expectStatus(removed, 204);
    const gone = await api(request, "GET", `/api/v1/servers/${name}`);
    expectStatus(gone, 404);
    expect(gone.body.error).toEqual({ code: "not_found", message: `No server named ${name}` });
    expectStatus(await api(request, "DELETE", `/api/v1/servers/${name}`), 404);
    expectStatus(await api(request, "PATCH", `/api/v1/servers/${name}`, { body: { enabled: true } }), 404);
    expectStatus(await api(request, "POST", `/api/v1/servers/${name}/test`), 404);
  });

  test("a remote server with a credential template needs that credential and defaults to token", async ({
    request,
  }) => {
    const name = unique("remote");
    const created = await createServer(
      request,
      remoteServer(name, { headers: { Authorization: "Bearer ${USER_GITHUB_TOKEN}" } }),
    );
    expect(created).toMatchObject({
      isolation: "token",
      credentials: ["GITHUB_TOKEN"],
      headers: { Authorization: "Bearer ${USER_GITHUB_TOKEN}" },
    });
    const read = await api(request, "GET", `/api/v1/servers/${name}`);
    expect(read.body.credentials).toEqual(["GITHUB_TOKEN"]);
  });

  test("a high-risk stdio server gets process isolation; forcing none is accepted with a warning", async ({
    request,
  }) => {
    const isolated = await createServer(request, everythingServer(unique("risky"), { riskLevel: "high" }));
    expect(isolated).toMatchObject({ isolation: "process", warnings: [] });
    const shared = await createServer(
      request,
      everythingServer(unique("risky"), { riskLevel: "critical", isolation: "none" }),
    );
    expect(shared.isolation).toBe("none");
    expect(shared.warnings).toEqual([
      'Risk level critical suggests isolation "process" for a stdio server; "none" runs one process shared by everyone.',
      "Critical servers can only be placed in restricted groups.",
    ]);
  });

  test("a second server with the same name is a 409 naming the field", async ({ request }) => {
    const name = unique("dup");
    await createServer(request, remoteServer(name));
    const again = await api(request, "POST", "/api/v1/servers", { body: everythingServer(name) });
    expectStatus(again, 409);
    expect(again.body.error).toEqual({
      code: "conflict",
      message: `A server named ${name} already exists`,
      fields: { name: ["This name is taken"] },
    });
  });

  test("renaming a server onto another's name is refused", async ({ request }) => {
    const [a, b] = [unique("rename"), unique("rename")];
    await createServer(request, remoteServer(a));
    await createServer(request, remoteServer(b));
    const clash = await api(request, "PATCH", `/api/v1/servers/${a}`, { body: { name: b } });
    expectStatus(clash, 409);
    expect(clash.body.error.fields).toEqual({ name: ["This name is taken"] });
    const renamed = await api(request, "PATCH", `/api/v1/servers/${a}`, { body: { name: `${a}-new` } });
    expectStatus(renamed, 200);
    expectStatus(await api(request, "GET", `/api/v1/servers/${a}-new`), 200);
    expectStatus(await api(request, "GET", `/api/v1/servers/${a}`), 404);
  });

  test("delete is refused while groups use the server, naming the groups", async ({ request }) => {
    const server = unique("used");
    await createServer(request, remoteServer(server));
    const [g1, g2] = [unique("users-a"), unique("users-b")];
    for (const group of [g1, g2])
      expectStatus(
        await api(request, "POST", "/api/v1/groups", { body: { name: group, servers: [server] } }),
        201,
      );
    const refused = await api(request, "DELETE", `/api/v1/servers/${server}`);
    expectStatus(refused, 409);
    const sorted = [g1, g2].sort();
    expect(refused.body.error).toEqual({
      code: "conflict",
      message: `${server} is used by the groups ${sorted.join(", ")}: remove it from them first`,
    });
    const read = await api(request, "GET", `/api/v1/servers/${server}`);
    expect(read.body.groups).toEqual(sorted);

    expectStatus(await api(request, "DELETE", `/api/v1/groups/${g1}`), 204);
    const stillOne = await api(request, "DELETE", `/api/v1/servers/${server}`);
    expectStatus(stillOne, 409);
    expect(stillOne.body.error.message).toBe(`${server} is used by the group ${g2}: remove it from it first`);
    expectStatus(await api(request, "DELETE", `/api/v1/groups/${g2}`), 204);
    expectStatus(await api(request, "DELETE", `/api/v1/servers/${server}`), 204);
  });
});

test.describe("test connection", () => {
  test("an unsaved stdio configuration is tested without saving it", async ({ request }) => {
    const name = unique("unsaved");
    const tested = await api(request, "POST", "/api/v1/servers/test", { body: everythingServer(name) });
    expectStatus(tested, 200);
    expect(tested.body.ok, JSON.stringify(tested.body)).toBe(true);
    expect(tested.body.tools.map((t: { name: string }) => t.name)).toContain("echo");
    expect(tested.body.warnings).toEqual([]);
    expectStatus(await api(request, "GET", `/api/v1/servers/${name}`), 404);
  });

  test("a refused port answers ok:false with a clear error", async ({ request }) => {
    // Nothing listens on 3798 during the tests (the hub and the OpenID provider use other ports).
    const tested = await api(request, "POST", "/api/v1/servers/test", {
      body: remoteServer(unique("refused"), { url: "http://127.0.0.1:3798/mcp" }),
    });
    expectStatus(tested, 200);
    expect(tested.body.ok).toBe(false);
    expect(tested.body.error).toBe("Connection refused: is the server running at that address and port?");
    expect(tested.body.ms).toEqual(expect.any(Number));
  });

  test("a person's value that points the URL at the metadata service is refused when connecting", async ({
    request,
  }) => {
    for (const target of ["169.254.169.254", "metadata.google.internal", "[fe80::1]"]) {
      const saved = await api(request, "PUT", "/api/v1/me/credentials/TARGET_HOST", {
        body: { value: target },
      });
      expectStatus(saved, 200);
      for (const type of ["streamable-http", "sse"] as const) {
        const tested = await api(request, "POST", "/api/v1/servers/test", {
          body: remoteServer(unique("ssrf"), { type, url: "http://${USER_TARGET_HOST}/latest/meta-data" }),
        });
        expectStatus(tested, 200);
        expect(tested.body.ok, `${type} ${target}`).toBe(false);
        expect(tested.body.error).toMatch(/^Refused: .*MCPHUB_OUTBOUND_ALLOW/);
      }
    }
    expectStatus(await api(request, "DELETE", "/api/v1/me/credentials/TARGET_HOST"), 204);
  });

  test("a refused port over SSE answers ok:false with the same clear error", async ({ request }) => {
    const tested = await api(request, "POST", "/api/v1/servers/test", {
      body: remoteServer(unique("refused"), { type: "sse", url: "http://127.0.0.1:3798/sse" }),
    });
    expectStatus(tested, 200);
    expect(tested.body.ok).toBe(false);
    expect(tested.body.error).toBe("Connection refused: is the server running at that address and port?");
  });

  test("a URL that answers 404 is ok:false naming the status, for both remote types", async ({
    request,
    baseURL,
  }) => {
    // The hub itself answers a JSON 404 for unknown /api paths.
    for (const type of ["sse", "streamable-http"]) {
      const tested = await api(request, "POST", "/api/v1/servers/test", {
        body: remoteServer(unique("missing"), { type, url: `${baseURL}/api/no-mcp-here` }),
      });
      expectStatus(tested, 200);
      expect(tested.body.ok, type).toBe(false);
      expect(tested.body.error, type).toContain("404");
    }
  });

  test("a host that does not resolve answers ok:false with a clear error, for both remote types", async ({
    request,
  }) => {
    for (const type of ["sse", "streamable-http"]) {
      const tested = await api(request, "POST", "/api/v1/servers/test", {
        body: remoteServer(unique("nohost"), { type, url: "http://no-such-host.invalid/mcp" }),
      });
      expectStatus(tested, 200);
      expect(tested.body.ok, type).toBe(false);
      expect(tested.body.error, type).toBe("The host name does not resolve: check the URL");
    }
  });

  test("a command that does not exist answers ok:false with a clear error", async ({ request }) => {
    const tested = await api(request, "POST", "/api/v1/servers/test", {
      body: { name: unique("nocmd"), type: "stdio", command: "mcphub-no-such-command-anywhere" },
    });
    expectStatus(tested, 200);
    expect(tested.body.ok).toBe(false);
    expect(tested.body.error).toMatch(/^The command was not found/);
  });

  test("an invalid configuration is refused before connecting", async ({ request }) => {
    const tested = await api(request, "POST", "/api/v1/servers/test", {
      body: remoteServer(unique("badurl"), { url: "ftp://example.com/mcp" }),
    });
    expectStatus(tested, 422);
    expect(tested.body.error.fields).toEqual({ url: ["The URL must start with http:// or https://"] });
  });

  test("testing a saved server that fails records the error", async ({ request }) => {
    const name = unique("broken");
    await createServer(request, remoteServer(name, { url: "http://127.0.0.1:3798/mcp" }));
    const tested = await api(request, "POST", `/api/v1/servers/${name}/test`);
    expectStatus(tested, 200);
    expect(tested.body.ok).toBe(false);
    const read = await api(request, "GET", `/api/v1/servers/${name}`);
    expect(read.body.status.lastError).toBe(tested.body.error);
    expect(Date.parse(read.body.status.lastErrorAt)).toBeGreaterThan(Date.now() - 60_000);
  });
});

test.describe("validation errors answer 422 with the field", () => {
  const cases: Array<
    [label: string, body: Record<string, unknown>, field: string, message: string | RegExp]
  > = [
    [
      "stdio without a command",
      { name: "v", type: "stdio" },
      "command",
      "A stdio server needs a command, such as npx or node",
    ],
    [
      "URL that is not http(s)",
      remoteServer("v", { url: "ftp://example.com/mcp" }),
      "url",
      "The URL must start with http:// or https://",
    ],
    [
      "URL that is not a URL",
      remoteServer("v", { url: "example.com/mcp" }),
      "url",
      "Give a full URL such as https://mcp.example.com/mcp",
    ],
    [
      "URL with credentials",
      remoteServer("v", { url: "https://me:secret@example.com/mcp" }),
      "url",
      "Put credentials in a header template, not in the URL",
    ],
    [
      "cloud metadata address",
      remoteServer("v", { url: "http://169.254.169.254/latest/meta-data" }),
      "url",
      /169\.254\.169\.254 is a refused address.*MCPHUB_OUTBOUND_ALLOW/,
    ],
    [
      "metadata address written as one number",
      remoteServer("v", { url: "http://2852039166/latest/meta-data" }),
      "url",
      /169\.254\.169\.254 is a refused address/,
    ],
    [
      "metadata address inside an IPv4-mapped IPv6 address",
      remoteServer("v", { url: "http://[::ffff:169.254.169.254]/mcp" }),
      "url",
      /is a refused address/,
    ],
    [
      "link-local IPv6 address",
      remoteServer("v", { type: "sse", url: "http://[fe80::1]:8080/sse" }),
      "url",
      /is a refused address/,
    ],
    [
      "cloud metadata host name",
      remoteServer("v", { url: "http://metadata.google.internal/computeMetadata/v1/" }),
      "url",
      /metadata\.google\.internal is a cloud metadata host/,
    ],
    [
      "header name with illegal characters",
      remoteServer("v", { headers: { "X Bad": "v" } }),
      "headers.X Bad",
      /^"X Bad" is not a valid header name/,
    ],
    [
      "header value with a line break",
      remoteServer("v", { headers: { "X-Key": "a\r\nX-Injected: 1" } }),
      "headers.X-Key",
      "A header value cannot contain line breaks or NUL",
    ],
    [
      "reserved header",
      remoteServer("v", { headers: { Host: "evil.example.com" } }),
      "headers.Host",
      "Host is set by the hub itself and cannot be configured",
    ],
    [
      "malformed template",
      remoteServer("v", { headers: { Authorization: "Bearer ${USER_TOKEN" } }),
      "headers.Authorization",
      "Unclosed ${ at position 8: close it with }",
    ],
    [
      "unknown template form",
      everythingServer("v", { args: ["${A:-b}"] }),
      "args.0",
      /^\$\{A:-b\} is not a template/,
    ],
    [
      "bad environment variable name",
      everythingServer("v", { env: { "1BAD": "x" } }),
      "env.1BAD",
      '"1BAD" is not a valid environment variable name',
    ],
    [
      "per-person credential with isolation none (stdio)",
      everythingServer("v", { env: { TOKEN: "${USER_X}" }, isolation: "none" }),
      "isolation",
      /pick "process"/,
    ],
    [
      "per-person credential with isolation none (remote)",
      remoteServer("v", { headers: { Authorization: "Bearer ${USER_X}" }, isolation: "none" }),
      "isolation",
      /pick "token"/,
    ],
    [
      "${MCPHUB_USER_HOME} without process isolation",
      remoteServer("v", { url: "https://h/${MCPHUB_USER_HOME}" }),
      "isolation",
      '${MCPHUB_USER_HOME} exists only for isolation "process"',
    ],
    [
      "unknown MCPHUB_ variable",
      remoteServer("v", { headers: { "X-Key": "${MCPHUB_NO_SUCH_VARIABLE}" } }),
      "headers.X-Key",
      /is unknown/,
    ],
    [
      "hub variable missing from the environment",
      remoteServer("v", { headers: { "X-Key": "${SURELY_UNSET_VARIABLE_FOR_TESTS}" } }),
      "headers.X-Key",
      /^The hub's environment has no SURELY_UNSET_VARIABLE_FOR_TESTS/,
    ],
    [
      "the hub's own secret",
      everythingServer("v", { env: { S: "${AUTH_SECRET}" } }),
      "env.S",
      "AUTH_SECRET belongs to the hub itself and is never handed to an upstream",
    ],
    ["bad name", everythingServer("has spaces"), "name", /^Use 1-63 letters/],
    [
      "bad type",
      { name: "v", type: "ftp" },
      "type",
      "type must be one of stdio, sse, streamable-http, builtin",
    ],
    [
      "bad isolation",
      everythingServer("v", { isolation: "maximum" }),
      "isolation",
      "isolation must be one of none, token, process, builtin",
    ],
    [
      "bad risk level",
      everythingServer("v", { riskLevel: "huge" }),
      "riskLevel",
      "riskLevel must be one of low, medium, high, critical",
    ],
    ["bad tool prefix", everythingServer("v", { toolPrefix: "a b" }), "toolPrefix", /^A prefix may hold/],
    [
      "timeout too small",
      everythingServer("v", { callTimeoutMs: 5 }),
      "callTimeoutMs",
      "callTimeoutMs must be at least 100 ms",
    ],
    [
      "template in the command",
      { name: "v", type: "stdio", command: "${USER_BIN}", isolation: "process" },
      "command",
      "The command cannot hold templates: put them in args or env",
    ],
  ];

  for (const [label, body, field, message] of cases) {
    test(label, async ({ request }) => {
      const name = unique("invalid");
      const answer = await api(request, "POST", "/api/v1/servers", {
        body: { ...body, name: body.name === "v" ? name : body.name },
      });
      expectStatus(answer, 422);
      expect(answer.body.error.code).toBe("validation_failed");
      expect(Object.keys(answer.body.error.fields)).toContain(field);
      const messages: string[] = answer.body.error.fields[field];
      if (typeof message === "string") expect(messages).toContain(message);
      else
        expect(
          messages.some((m) => message.test(m)),
          JSON.stringify(messages),
        ).toBe(true);
      expect(answer.body.error.message).toContain(field);
      if (body.name === "v") expectStatus(await api(request, "GET", `/api/v1/servers/${name}`), 404);
    });
  }

  test("PATCH validates the merged configuration", async ({ request }) => {
    const name = unique("patched");
    await createServer(request, remoteServer(name));
    const bad = await api(request, "PATCH", `/api/v1/servers/${name}`, { body: { url: "ftp://x/mcp" } });
    expectStatus(bad, 422);
    expect(bad.body.error.fields).toEqual({ url: ["The URL must start with http:// or https://"] });
    const perUser = await api(request, "PATCH", `/api/v1/servers/${name}`, {
      body: { headers: { Authorization: "Bearer ${USER_TOKEN}" } },
    });
    // The stored isolation is "none": a per-person header needs the admin to choose token.
    expectStatus(perUser, 422);
    expect(perUser.body.error.fields.isolation[0]).toContain('pick "token"');
    const fixed = await api(request, "PATCH", `/api/v1/servers/${name}`, {
      body: { headers: { Authorization: "Bearer ${USER_TOKEN}" }, isolation: "token" },
    });
    expectStatus(fixed, 200);
    expect(fixed.body).toMatchObject({ isolation: "token", credentials: ["TOKEN"], configVersion: 2 });
  });

  test("a body that is not JSON is a 400 that says so", async ({ request }) => {
    const notJson = await api(request, "POST", "/api/v1/servers", {
      headers: { "Content-Type": "application/json" },
      // A Buffer is sent as it is (a string would be JSON-encoded by Playwright).
      body: Buffer.from("{not json"),
    });
    expectStatus(notJson, 400);
    expect(notJson.body.error).toEqual({ code: "bad_request", message: "The body is not valid JSON" });
    const wrongType = await api(request, "POST", "/api/v1/servers", {
      headers: { "Content-Type": "text/plain" },
      body: Buffer.from("name=x"),
    });
    expectStatus(wrongType, 400);
    expect(wrongType.body.error.message).toBe("Send the body as JSON with Content-Type: application/json");
  });
});
