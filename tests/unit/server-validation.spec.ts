import { expect, test } from "@playwright/test";
import { AppError, parseInput } from "@/lib/errors";
import { serverInputSchema } from "@/lib/servers/schemas";
import { isHubOwnSecret, type ValidatedServer, validateServer } from "@/lib/servers/validate";

type Env = Record<string, string | undefined>;

/** The whole check a REST body or form goes through: zod first, then validateServer. */
function check(input: Record<string, unknown>, env: Env = {}): ValidatedServer {
  return validateServer(parseInput(serverInputSchema, input), env);
}

/** The field errors a refused configuration answers with; fails the test if it was accepted. */
function refusal(input: Record<string, unknown>, env: Env = {}): Record<string, string[]> {
  try {
    check(input, env);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code).toBe("validation_failed");
    expect(appError.status).toBe(422);
    return appError.fieldErrors ?? {};
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused`);
}

const stdio = (extra: Record<string, unknown> = {}) => ({
  name: "local",
  type: "stdio",
  command: "node",
  args: ["server.js"],
  ...extra,
});
const remote = (extra: Record<string, unknown> = {}) => ({
  name: "remote",
  type: "streamable-http",
  url: "https://mcp.example.com/mcp",
  ...extra,
});

test.describe("field validation", () => {
  test("a valid stdio, remote and builtin server pass with defaults filled in", () => {
    const local = check(stdio());
    expect(local.config).toEqual({ type: "stdio", command: "node", args: ["server.js"], env: {} });
    expect(local.input.enabled).toBe(true);
    expect(local.input.riskLevel).toBe("medium");
    expect(local.isolation).toBe("none");
    expect(check(remote()).config).toEqual({
      type: "streamable-http",
      url: "https://mcp.example.com/mcp",
      headers: {},
    });
    expect(check({ name: "gh", type: "builtin", builtin: "github" }).config).toEqual({
      type: "builtin",
      builtin: "github",
    });
  });

  test("a stdio server without a command", () => {
    expect(refusal({ name: "s", type: "stdio" })).toEqual({
      command: ["A stdio server needs a command, such as npx or node"],
    });
    expect(refusal(stdio({ command: "   " }))).toEqual({
      command: ["A stdio server needs a command, such as npx or node"],
    });
  });

  test("a command holding a template", () => {
    expect(refusal(stdio({ command: "${USER_BIN}", isolation: "process" })).command).toEqual([
      "The command cannot hold templates: put them in args or env",
    ]);
  });

  test("a URL that is not http(s)", () => {
    for (const url of ["ftp://example.com/mcp", "file:///etc/passwd", "javascript:alert(1)", "ws://h/mcp"]) {
      expect(refusal(remote({ url })).url, url).toEqual(["The URL must start with http:// or https://"]);
    }
    for (const url of ["example.com/mcp", "not a url", "http://"]) {
      expect(refusal(remote({ url })).url, url).toEqual([
        "Give a full URL such as https://mcp.example.com/mcp",
      ]);
    }
    expect(refusal(remote({ url: "" })).url).toEqual(["Give the server's URL"]);
    expect(refusal({ name: "r", type: "sse" }).url).toEqual(["Give the server's URL"]);
  });

  test("a URL with credentials", () => {
    for (const url of ["https://user:pass@mcp.example.com/mcp", "https://user@mcp.example.com/mcp"]) {
      expect(refusal(remote({ url })).url, url).toEqual([
        "Put credentials in a header template, not in the URL",
      ]);
    }
  });

  test("a header name with illegal characters", () => {
    for (const name of ["Bad Header", "X-Ünïcode", "X:Colon", "", "X\r\nY"]) {
      const fields = refusal(remote({ headers: { [name]: "v" } }));
      expect(fields[`headers.${name}`], JSON.stringify(name)).toEqual([
        `"${name}" is not a valid header name: use letters, digits and - (such as Authorization or X-Api-Key)`,
      ]);
    }
  });

  test("a header value with CR, LF or NUL", () => {
    for (const value of ["a\r\nX-Injected: 1", "a\nb", "a\rb", "a\0b"]) {
      const fields = refusal(remote({ headers: { "X-Api-Key": value } }));
      expect(fields["headers.X-Api-Key"], JSON.stringify(value)).toEqual([
        "A header value cannot contain line breaks or NUL",
      ]);
    }
  });

  test("a reserved header", () => {
    for (const name of ["Host", "content-length", "Connection", "Mcp-Session-Id", "MCP-Protocol-Version"]) {
      expect(refusal(remote({ headers: { [name]: "x" } }))[`headers.${name}`], name).toEqual([
        `${name} is set by the hub itself and cannot be configured`,
      ]);
    }
  });

  test("a malformed ${…} template names the field it is in", () => {
    expect(refusal(remote({ headers: { Authorization: "Bearer ${user_token}" } }))).toEqual({
      "headers.Authorization": [
        "${user_token} is not a template: names are upper-case letters, digits and _, such as ${USER_GITHUB_TOKEN}",
      ],
    });
    expect(refusal(remote({ url: "https://h/${USER_X" })).url).toEqual([
      "Unclosed ${ at position 11: close it with }",
    ]);
    expect(refusal(stdio({ args: ["ok", "${A:-b}"] }))["args.1"]).toEqual([
      "${A:-b} is not a template: names are upper-case letters, digits and _, such as ${USER_GITHUB_TOKEN}",
    ]);
    expect(refusal(stdio({ env: { X: "${MCPHUB_OTHER}" } }))["env.X"]?.[0]).toMatch(
      /^\$\{MCPHUB_OTHER\} is unknown/,
    );
  });

  test("a bad environment variable name", () => {
    for (const name of ["1ABC", "A-B", "A B", "", "Ä"]) {
      expect(refusal(stdio({ env: { [name]: "v" } }))[`env.${name}`], JSON.stringify(name)).toEqual([
        `"${name}" is not a valid environment variable name`,
      ]);
    }
    expect(check(stdio({ env: { _A1: "v", lower_ok: "v" } })).config).toMatchObject({
      env: { _A1: "v", lower_ok: "v" },
    });
  });

  test("a bad name, type, isolation or risk level", () => {
    expect(refusal(stdio({ name: "has space" })).name?.[0]).toMatch(/^Use 1-63 letters/);
    expect(refusal(stdio({ name: "-dash" })).name?.[0]).toMatch(/^Use 1-63 letters/);
    expect(refusal({ name: "x", type: "websocket", url: "https://h" }).type?.[0]).toBe(
      "type must be one of stdio, sse, streamable-http, builtin",
    );
    expect(refusal(stdio({ isolation: "total" })).isolation).toEqual([
      "isolation must be one of none, token, process, builtin",
    ]);
    expect(refusal(stdio({ riskLevel: "extreme" })).riskLevel).toEqual([
      "riskLevel must be one of low, medium, high, critical",
    ]);
    expect(refusal(stdio({ toolPrefix: "has space" })).toolPrefix?.[0]).toMatch(/^A prefix may hold/);
  });

  test("fields of another type are refused, not silently dropped", () => {
    const fields = refusal(stdio({ url: "https://h/mcp" }));
    expect(Object.keys(fields)).toEqual(["body"]);
    expect(fields.body?.[0]).toMatch(/url/);
  });

  test("an isolation that does not fit the type", () => {
    expect(refusal(stdio({ isolation: "token" })).isolation).toEqual([
      "A stdio server can use isolation none or process",
    ]);
    expect(refusal(remote({ isolation: "process" })).isolation).toEqual([
      "A streamable-http server can use isolation none or token",
    ]);
    expect(refusal({ name: "b", type: "builtin", builtin: "notion", isolation: "none" }).isolation).toEqual([
      "A builtin server can use isolation builtin",
    ]);
  });
});

test.describe("isolation rules", () => {
  test("stdio with ${USER_X} in env and isolation none is refused, naming process", () => {
    const fields = refusal(stdio({ env: { TOKEN: "${USER_X}" }, isolation: "none" }));
    expect(Object.keys(fields)).toEqual(["isolation"]);
    expect(fields.isolation?.[0]).toContain('pick "process"');
    expect(fields.isolation?.[0]).toContain("${USER_X}");
  });

  test("remote with a ${USER_X} header and isolation none is refused, naming token", () => {
    const fields = refusal(remote({ headers: { Authorization: "Bearer ${USER_X}" }, isolation: "none" }));
    expect(Object.keys(fields)).toEqual(["isolation"]);
    expect(fields.isolation?.[0]).toContain('pick "token"');
    expect(fields.isolation?.[0]).toContain("${USER_X}");
    expect(refusal(remote({ url: "https://h/${USER_X}", isolation: "none" })).isolation?.[0]).toContain(
      'pick "token"',
    );
  });

  test("context variables are per person too", () => {
    expect(refusal(stdio({ args: ["${MCPHUB_USER_ID}"], isolation: "none" })).isolation?.[0]).toContain(
      'pick "process"',
    );
    expect(check(stdio({ args: ["${MCPHUB_USER_EMAIL}"] })).isolation).toBe("process");
  });

  test("defaults: high and critical stdio run one process per person, low and medium share one", () => {
    expect(check(stdio({ riskLevel: "high" })).isolation).toBe("process");
    expect(check(stdio({ riskLevel: "critical" })).isolation).toBe("process");
    expect(check(stdio({ riskLevel: "medium" })).isolation).toBe("none");
    expect(check(stdio({ riskLevel: "low" })).isolation).toBe("none");
  });

  test("defaults: stdio with credentials → process; remote with credentials → token, without → none", () => {
    const local = check(stdio({ env: { GITHUB_TOKEN: "${USER_GITHUB_TOKEN}" } }));
    expect(local.isolation).toBe("process");
    expect(local.credentials).toEqual(["GITHUB_TOKEN"]);
    const withToken = check(
      remote({ headers: { Authorization: "Bearer ${USER_ATLASSIAN_TOKEN}", "X-Email": "${USER_EMAIL}" } }),
    );
    expect(withToken.isolation).toBe("token");
    expect(withToken.credentials).toEqual(["ATLASSIAN_TOKEN", "EMAIL"]);
    expect(check(remote()).isolation).toBe("none");
    expect(check({ ...remote(), type: "sse", url: "https://h/sse" }).isolation).toBe("none");
  });

  test("defaults: builtin → builtin", () => {
    expect(check({ name: "gh", type: "builtin", builtin: "github" }).isolation).toBe("builtin");
  });

  test("an explicit isolation is kept", () => {
    expect(check(stdio({ isolation: "process" })).isolation).toBe("process");
    expect(check(remote({ isolation: "token" })).isolation).toBe("token");
  });

  test("${MCPHUB_USER_HOME} only with process", () => {
    const ok = check(stdio({ args: ["${MCPHUB_USER_HOME}"] }));
    expect(ok.isolation).toBe("process");
    expect(check(stdio({ args: ["--root", "${MCPHUB_USER_HOME}"], isolation: "process" })).isolation).toBe(
      "process",
    );
    const refused = '${MCPHUB_USER_HOME} exists only for isolation "process"';
    expect(refusal(stdio({ args: ["${MCPHUB_USER_HOME}"], isolation: "none" })).isolation).toEqual([refused]);
    expect(refusal(remote({ headers: { "X-Home": "${MCPHUB_USER_HOME}" } })).isolation).toEqual([refused]);
  });
});

test.describe("hub variables", () => {
  test("${SOME_VAR} must exist in the hub's environment", () => {
    const ok = check(remote({ headers: { "X-Api-Key": "${SOME_VAR}" } }), { SOME_VAR: "value" });
    expect(ok.hubVariables).toEqual(["SOME_VAR"]);
    expect(ok.credentials).toEqual([]);
    expect(ok.isolation).toBe("none");
    expect(refusal(remote({ headers: { "X-Api-Key": "${SOME_VAR}" } }), { OTHER: "x" })).toEqual({
      "headers.X-Api-Key": [
        "The hub's environment has no SOME_VAR: set it on the server, or use ${USER_…} for a per-person credential",
      ],
    });
    expect(refusal(stdio({ env: { A: "${VAR_A}", B: "${VAR_B}" } }))["env.A"]?.[0]).toMatch(
      /^The hub's environment has no VAR_A, VAR_B: set them/,
    );
  });

  test("an empty hub variable exists", () => {
    expect(check(stdio({ args: ["${EMPTY_ONE}"] }), { EMPTY_ONE: "" }).hubVariables).toEqual(["EMPTY_ONE"]);
  });

  for (const secret of [
    "AUTH_SECRET",
    "DATABASE_URL",
    "AUTH_GITHUB_SECRET",
    "NEXTAUTH_SECRET",
    "PGPASSWORD",
  ]) {
    test(`\${${secret}} is refused even when it is set`, () => {
      const env = { [secret]: "the-hubs-own-secret" };
      expect(isHubOwnSecret(secret)).toBe(true);
      expect(refusal(remote({ headers: { "X-Key": `\${${secret}}` } }), env)).toEqual({
        "headers.X-Key": [`${secret} belongs to the hub itself and is never handed to an upstream`],
      });
      expect(refusal(stdio({ env: { K: `\${${secret}}` } }), env)["env.K"]).toEqual([
        `${secret} belongs to the hub itself and is never handed to an upstream`,
      ]);
    });
  }

  test("${MCPHUB_SECRET_KEY} is refused even when it is set", () => {
    const env = { MCPHUB_SECRET_KEY: "c2VjcmV0" };
    expect(isHubOwnSecret("MCPHUB_SECRET_KEY")).toBe(true);
    const fields = refusal(remote({ headers: { "X-Key": "${MCPHUB_SECRET_KEY}" } }), env);
    expect(Object.keys(fields)).toEqual(["headers.X-Key"]);
    expect(fields["headers.X-Key"]?.[0]).toMatch(/^\$\{MCPHUB_SECRET_KEY\} is unknown/);
  });

  test("an ordinary variable is not mistaken for a hub secret", () => {
    for (const name of ["GITHUB_API_URL", "SHARED_TOKEN", "AUTHOR", "DATABASES"]) {
      expect(isHubOwnSecret(name), name).toBe(false);
    }
  });
});

test.describe("risk warnings", () => {
  test("a high or critical stdio server shared by everyone is accepted with a warning", () => {
    expect(check(stdio({ riskLevel: "high", isolation: "none" })).warnings).toEqual([
      'Risk level high suggests isolation "process" for a stdio server; "none" runs one process shared by everyone.',
    ]);
    expect(check(stdio({ riskLevel: "critical", isolation: "none" })).warnings).toEqual([
      'Risk level critical suggests isolation "process" for a stdio server; "none" runs one process shared by everyone.',
      "Critical servers can only be placed in restricted groups.",
    ]);
  });

  test("a critical server of any type is told it belongs in restricted groups", () => {
    expect(check(remote({ riskLevel: "critical" })).warnings).toEqual([
      "Critical servers can only be placed in restricted groups.",
    ]);
    expect(check(stdio({ riskLevel: "critical" })).warnings).toEqual([
      "Critical servers can only be placed in restricted groups.",
    ]);
  });

  test("no warnings for low and medium servers or isolated high ones", () => {
    expect(check(stdio({ riskLevel: "low" })).warnings).toEqual([]);
    expect(check(remote({ riskLevel: "medium" })).warnings).toEqual([]);
    expect(check(stdio({ riskLevel: "high" })).warnings).toEqual([]);
  });
});

test.describe("AppError summary", () => {
  test("the message lists every field with its problem", () => {
    try {
      check(stdio({ env: { "1X": "v", TOKEN: "${USER_T}" }, isolation: "none" }));
      throw new Error("expected a refusal");
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).message).toMatch(/^Some fields need fixing: env\.1X: /);
    }
    try {
      check(stdio({ env: { TOKEN: "${USER_T}" }, args: ["${bad}"], isolation: "none" }));
      throw new Error("expected a refusal");
    } catch (error) {
      const message = (error as AppError).message;
      expect(message).toMatch(/^The server configuration needs fixing: /);
      expect(message).toContain("args.0: ${bad} is not a template");
      expect(message).toContain(
        'isolation: This server uses per-person values (${USER_T}); isolation "none"',
      );
    }
  });
});

test("idleTimeoutMs: stdio with isolation process only, 1 s to a day, kept in the stored config", () => {
  const saved = check(stdio({ isolation: "process", idleTimeoutMs: 90_000 }));
  expect(saved.config).toMatchObject({ type: "stdio", idleTimeoutMs: 90_000 });
  expect(check(stdio({ isolation: "process" })).config).not.toHaveProperty("idleTimeoutMs");
  expect(refusal(stdio({ isolation: "none", idleTimeoutMs: 90_000 })).idleTimeoutMs).toEqual([
    'idleTimeoutMs applies to isolation "process" only (one process per person)',
  ]);
  expect(() => check(stdio({ isolation: "process", idleTimeoutMs: 10 }))).toThrow(/at least 1000 ms/);
  expect(() => check(stdio({ isolation: "process", idleTimeoutMs: 90_000_000 }))).toThrow(/at most 86400000/);
});
