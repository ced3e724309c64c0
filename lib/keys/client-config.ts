/**
 * Ready-to-paste MCP client configurations for a person's hub endpoint. Pure functions, shared by
 * the keys page (on the server, and in the browser right after a key is created) and the tests.
 */

export type ClientId = "claude-desktop" | "claude-code" | "cursor" | "vscode" | "inspector";

export type ClientConfig = {
  id: ClientId;
  label: string;
  /** Where the snippet goes: a file path or "a terminal". */
  where: string;
  language: "json" | "shell";
  code: string;
  /** One sentence on what the person still has to do. */
  note: string;
};

/** Stands in for the key until the person pastes theirs (or a fresh key fills it). */
export const KEY_PLACEHOLDER = "<your-mcphub-key>";
/** The name the hub gets in each client's configuration. */
export const CLIENT_SERVER_NAME = "mcphub";

/** Quotes a shell word only when it needs it (single quotes, with embedded ones escaped). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

function isLoopback(url: URL): boolean {
  return ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
}

/**
 * Every client's configuration for `endpoint` (the hub's public URL + "/api/mcp"). Without a key,
 * the snippets hold KEY_PLACEHOLDER. VS Code always asks for the key through an input prompt, so
 * a workspace file that may be committed never holds it.
 */
export function buildClientConfigs(endpoint: string, key?: string): ClientConfig[] {
  const secret = key ?? KEY_PLACEHOLDER;
  const authorization = `Authorization: Bearer ${secret}`;
  const url = new URL(endpoint);
  // mcp-remote refuses plain http except to this machine.
  const allowHttp = url.protocol === "http:" && !isLoopback(url) ? ["--allow-http"] : [];

  return [
    {
      id: "claude-desktop",
      label: "Claude Desktop",
      where: "claude_desktop_config.json (Settings → Developer → Edit Config)",
      language: "json",
      code: json({
        mcpServers: {
          [CLIENT_SERVER_NAME]: {
            command: "npx",
            args: [
              "-y",
              "mcp-remote",
              endpoint,
              ...allowHttp,
              "--header",
              // mcp-remote expands ${AUTH_TOKEN} from `env`, so the key stays out of the argument list.
              `Authorization: Bearer \${AUTH_TOKEN}`,
            ],
            env: { AUTH_TOKEN: secret },
          },
        },
      }),
      note: "mcp-remote (run through npx, so Node.js must be installed) connects Claude Desktop to the hub. Restart Claude Desktop after saving.",
    },
    {
      id: "claude-code",
      label: "Claude Code",
      where: "a terminal",
      language: "shell",
      code: `claude mcp add --transport http ${CLIENT_SERVER_NAME} ${shellQuote(endpoint)} --header "${authorization}"`,
      note: "Add --scope user to use the hub in every project, not only the current one.",
    },
    {
      id: "cursor",
      label: "Cursor",
      where: "~/.cursor/mcp.json (all projects) or .cursor/mcp.json (one project)",
      language: "json",
      code: json({
        mcpServers: {
          [CLIENT_SERVER_NAME]: { url: endpoint, headers: { Authorization: `Bearer ${secret}` } },
        },
      }),
      note: "Cursor picks the file up on its own; check Settings → MCP for the hub's tools.",
    },
    {
      id: "vscode",
      label: "VS Code",
      where: ".vscode/mcp.json",
      language: "json",
      code: json({
        inputs: [{ type: "promptString", id: "mcphub-key", description: "MCPHub key", password: true }],
        servers: {
          [CLIENT_SERVER_NAME]: {
            type: "http",
            url: endpoint,
            headers: { Authorization: `Bearer \${input:mcphub-key}` },
          },
        },
      }),
      note: "VS Code asks for your key the first time it starts the server and keeps it in its secret storage, so the file is safe to commit.",
    },
    {
      id: "inspector",
      label: "MCP Inspector",
      where: "a terminal",
      language: "shell",
      code: `npx @modelcontextprotocol/inspector --cli ${shellQuote(endpoint)} --transport http --method tools/list --header "${authorization}"`,
      note: "Lists the tools your active groups expose; drop --cli to open the Inspector's web interface.",
    },
  ];
}
