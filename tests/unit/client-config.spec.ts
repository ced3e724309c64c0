import { expect, test } from "@playwright/test";
import { buildClientConfigs, KEY_PLACEHOLDER, shellQuote } from "@/lib/keys/client-config";

const endpoint = "https://hub.example.com/api/mcp";
const key = `mcphub_${"A".repeat(43)}`;

function config(id: string, endpointUrl = endpoint, secret?: string) {
  const found = buildClientConfigs(endpointUrl, secret).find((c) => c.id === id);
  if (!found) throw new Error(`no ${id} config`);
  return found;
}

test.describe("client configurations", () => {
  test("offers Claude Desktop, Claude Code, Cursor, VS Code and the Inspector", () => {
    expect(buildClientConfigs(endpoint).map((c) => c.label)).toEqual([
      "Claude Desktop",
      "Claude Code",
      "Cursor",
      "VS Code",
      "MCP Inspector",
    ]);
  });

  test("Claude Desktop runs mcp-remote with the key in env, not in the arguments", () => {
    const parsed = JSON.parse(config("claude-desktop", endpoint, key).code);
    expect(parsed).toEqual({
      mcpServers: {
        mcphub: {
          command: "npx",
          args: ["-y", "mcp-remote", endpoint, "--header", `Authorization: Bearer \${AUTH_TOKEN}`],
          env: { AUTH_TOKEN: key },
        },
      },
    });
  });

  test("mcp-remote gets --allow-http only for plain http to another machine", () => {
    const remote = JSON.parse(config("claude-desktop", "http://hub.internal:3000/api/mcp").code);
    expect(remote.mcpServers.mcphub.args).toContain("--allow-http");
    const local = JSON.parse(config("claude-desktop", "http://localhost:3000/api/mcp").code);
    expect(local.mcpServers.mcphub.args).not.toContain("--allow-http");
  });

  test("Claude Code is one command with the bearer header", () => {
    expect(config("claude-code", endpoint, key).code).toBe(
      `claude mcp add --transport http mcphub ${endpoint} --header "Authorization: Bearer ${key}"`,
    );
  });

  test("Cursor gets url and headers", () => {
    expect(JSON.parse(config("cursor", endpoint, key).code)).toEqual({
      mcpServers: { mcphub: { url: endpoint, headers: { Authorization: `Bearer ${key}` } } },
    });
  });

  test("VS Code uses servers with type http and prompts for the key, so the file never holds it", () => {
    const code = config("vscode", endpoint, key).code;
    expect(code).not.toContain(key);
    expect(JSON.parse(code)).toEqual({
      inputs: [{ type: "promptString", id: "mcphub-key", description: "MCPHub key", password: true }],
      servers: {
        mcphub: { type: "http", url: endpoint, headers: { Authorization: `Bearer \${input:mcphub-key}` } },
      },
    });
  });

  test("the Inspector CLI lists the tools over HTTP", () => {
    expect(config("inspector", endpoint, key).code).toBe(
      `npx @modelcontextprotocol/inspector --cli ${endpoint} --transport http --method tools/list --header "Authorization: Bearer ${key}"`,
    );
  });

  test("without a key every snippet but VS Code's holds the placeholder", () => {
    for (const snippet of buildClientConfigs(endpoint)) {
      if (snippet.id === "vscode") continue;
      expect(snippet.code, snippet.id).toContain(KEY_PLACEHOLDER);
    }
  });

  test("shell words are quoted only when they need it", () => {
    expect(shellQuote("https://hub.example.com/api/mcp")).toBe("https://hub.example.com/api/mcp");
    expect(shellQuote("https://hub.example.com/a b")).toBe("'https://hub.example.com/a b'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});
