import { expect, test } from "@playwright/test";
import { parseInput } from "@/lib/errors";
import { serverInputSchema } from "@/lib/servers/schemas";
import { validateServer } from "@/lib/servers/validate";
import { mapImportedServer, safeServerName } from "@/lib/settings/map-server";
import { settingsFileSchema } from "@/lib/settings/settings-file";

/** The mapped entry as the hub would store it (zod, templates, isolation rules). */
const validated = (input: Record<string, unknown>) =>
  validateServer(parseInput(serverInputSchema, input), {});

test.describe("type inference", () => {
  test("an entry with a command is stdio", () => {
    const { input, notes } = mapImportedServer("fetch", { command: "uvx", args: ["mcp-server-fetch"] });
    expect(input).toEqual({ name: "fetch", type: "stdio", command: "uvx", args: ["mcp-server-fetch"] });
    expect(notes).toEqual(["type stdio inferred"]);
    expect(validated(input).isolation).toBe("none");
  });

  test("a URL ending in /sse is sse, any other URL streamable-http", () => {
    expect(mapImportedServer("a", { url: "https://h/sse" }).input.type).toBe("sse");
    expect(mapImportedServer("a", { url: "https://h/sse/" }).input.type).toBe("sse");
    expect(mapImportedServer("a", { url: "https://h/mcp" }).input.type).toBe("streamable-http");
    expect(mapImportedServer("a", { url: "https://h/sse/mcp" }).input.type).toBe("streamable-http");
    expect(mapImportedServer("a", { url: "https://h/mcp" }).notes).toEqual(["type streamable-http inferred"]);
  });

  test("an explicit type is kept and not reported", () => {
    const { input, notes } = mapImportedServer("a", { type: "sse", url: "https://h/mcp" });
    expect(input.type).toBe("sse");
    expect(notes).toEqual([]);
  });

  test("an entry with neither command nor url gets no type, and the hub refuses it", () => {
    const { input, notes } = mapImportedServer("odd", { enabled: true });
    expect(input.type).toBeUndefined();
    expect(notes).toEqual([]);
    expect(() => validated(input)).toThrow(/type must be one of/);
  });
});

test.describe("names", () => {
  test('"GitHub PR MCP (ACA)" is renamed to a valid name, and the rename is reported', () => {
    const raw = {
      type: "streamable-http",
      url: "https://github-pr-mcp-server.example.io/mcp/",
      headers: { Authorization: "Bearer ${USER_GITHUB_TOKEN}" },
    };
    const { input, notes } = mapImportedServer("GitHub PR MCP (ACA)", raw);
    expect(input.name).toBe("GitHub-PR-MCP-ACA");
    expect(notes).toEqual(['renamed from "GitHub PR MCP (ACA)" to GitHub-PR-MCP-ACA']);
    const server = validated(input);
    expect(server.isolation).toBe("token");
    expect(server.credentials).toEqual(["GITHUB_TOKEN"]);
  });

  test("safeServerName", () => {
    expect(safeServerName("github")).toBe("github");
    expect(safeServerName("  spaced name  ")).toBe("spaced-name");
    expect(safeServerName("mcp.atlassian_v2")).toBe("mcp.atlassian_v2");
    expect(safeServerName("(leading) punctuation!")).toBe("leading-punctuation");
    expect(safeServerName("한국어 서버")).toBe("server");
    expect(safeServerName("x".repeat(80))).toHaveLength(63);
    for (const name of ["GitHub PR MCP (ACA)", "a  b", "-x-", "ü", "x".repeat(80), "..a"]) {
      expect(
        serverInputSchema.safeParse({ name: safeServerName(name), type: "stdio", command: "n" }).success,
      ).toBe(true);
    }
  });
});

test.describe("user-isolated entries", () => {
  test("baseCommand, baseArgs, userTokens and userDirectories become a stdio server with isolation process", () => {
    const { input, notes } = mapImportedServer("filesystem-local", {
      type: "user-isolated",
      baseCommand: "npx",
      baseArgs: ["-y", "@modelcontextprotocol/server-filesystem"],
      userTokens: ["GITHUB_TOKEN"],
      userDirectories: ["${USER_HOME_DIR}"],
      riskLevel: "high",
    });
    expect(input).toEqual({
      name: "filesystem-local",
      type: "stdio",
      isolation: "process",
      command: "npx",
      args: ["-y", "@modelcontextprotocol/server-filesystem", "${MCPHUB_USER_HOME}"],
      env: { GITHUB_TOKEN: "${USER_GITHUB_TOKEN}" },
      riskLevel: "high",
    });
    expect(notes).toEqual(["user-isolated imported as stdio with isolation process"]);
    const server = validated(input);
    expect(server.isolation).toBe("process");
    expect(server.credentials).toEqual(["GITHUB_TOKEN"]);
    expect(server.config).toEqual({
      type: "stdio",
      command: "npx",
      args: ["-y", "@modelcontextprotocol/server-filesystem", "${MCPHUB_USER_HOME}"],
      env: { GITHUB_TOKEN: "${USER_GITHUB_TOKEN}" },
    });
  });

  test("the seed's github-local entry (critical, no directories) imports too", () => {
    const { input } = mapImportedServer("github-local", {
      type: "user-isolated",
      baseCommand: "npx",
      baseArgs: ["-y", "@modelcontextprotocol/server-github"],
      userTokens: ["GITHUB_TOKEN"],
      riskLevel: "critical",
    });
    expect(input.args).toEqual(["-y", "@modelcontextprotocol/server-github"]);
    const server = validated(input);
    expect(server.isolation).toBe("process");
    expect(server.warnings).toEqual(["Critical servers can only be placed in restricted groups."]);
  });

  test("an existing env is kept and tokens are added to it", () => {
    const { input } = mapImportedServer("x", {
      type: "user-isolated",
      baseCommand: "node",
      env: { LOG_LEVEL: "debug" },
      userTokens: ["A_TOKEN", 42],
    });
    expect(input.env).toEqual({ LOG_LEVEL: "debug", A_TOKEN: "${USER_A_TOKEN}" });
    expect(input.args).toEqual([]);
  });

  test("${USER_HOME_DIR} in any stdio args becomes ${MCPHUB_USER_HOME}", () => {
    const { input } = mapImportedServer("fs", {
      command: "npx",
      args: ["-y", "server-filesystem", "${USER_HOME_DIR}/projects"],
    });
    expect(input.args).toEqual(["-y", "server-filesystem", "${MCPHUB_USER_HOME}/projects"]);
    expect(validated(input).isolation).toBe("process");
  });

  test("baseCommand and friends are reported as ignored outside user-isolated entries", () => {
    const { notes } = mapImportedServer("x", { command: "node", baseCommand: "npx", userTokens: [] });
    expect(notes).toEqual(["type stdio inferred", "ignored fields: baseCommand, userTokens"]);
  });
});

test.describe("ignored fields", () => {
  test("fields this hub does not know are reported and left out", () => {
    const { input, notes } = mapImportedServer("remote", {
      type: "streamable-http",
      url: "https://h/mcp",
      owner: "admin",
      keepAliveInterval: 60_000,
      tools: { echo: { enabled: false } },
    });
    expect(input).toEqual({ name: "remote", type: "streamable-http", url: "https://h/mcp" });
    expect(notes).toEqual(["ignored fields: owner, keepAliveInterval, tools"]);
  });

  test("known fields are kept as they are", () => {
    const raw = {
      type: "sse",
      url: "https://h/sse",
      headers: { "X-Key": "${SHARED}" },
      enabled: false,
      isolation: "none",
      riskLevel: "low",
      toolPrefix: "",
      description: "d",
      callTimeoutMs: 5_000,
      listTimeoutMs: 2_000,
      contextHeaders: true,
    };
    const { input, notes } = mapImportedServer("r", raw);
    expect(input).toEqual({ name: "r", ...raw });
    expect(notes).toEqual([]);
  });
});

test.describe("settings file", () => {
  test("mcpServers and groups default to empty; other top-level fields are allowed", () => {
    expect(settingsFileSchema.parse({})).toEqual({ mcpServers: {}, groups: [] });
    expect(settingsFileSchema.parse({ users: [], systemConfig: {} })).toMatchObject({ mcpServers: {} });
  });

  test("a malformed file is refused with the field", () => {
    expect(settingsFileSchema.safeParse({ mcpServers: [] }).success).toBe(false);
    expect(settingsFileSchema.safeParse({ mcpServers: { a: "x" } }).error?.issues[0]?.path).toEqual([
      "mcpServers",
      "a",
    ]);
    expect(settingsFileSchema.safeParse({ groups: {} }).error?.issues[0]?.message).toBe(
      "groups must be a list",
    );
  });
});
