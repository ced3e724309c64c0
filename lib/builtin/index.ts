import type { Client } from "@modelcontextprotocol/client";
import { type CallToolResult, InMemoryTransport, McpServer } from "@modelcontextprotocol/server";
import { linkMessage } from "@/lib/credentials/link-message";
import { getCredentialValues } from "@/lib/credentials/queries";
import type { ToolSnapshot } from "@/lib/db/schema";
import { logger } from "@/lib/logger";
import { BUILTIN_CREDENTIALS } from "@/lib/servers/needs";
import type { BUILTINS } from "@/lib/servers/schemas";
import { MissingVariableError } from "@/lib/templates/template";
import { connectHubClient } from "@/lib/upstream/connect";
import type { UpstreamCaller } from "@/lib/upstream/request-context";
import packageJson from "@/package.json";
import type { BuiltinTool } from "./define";
import { createGitHub } from "./github/client";
import { describeGitHubError } from "./github/errors";
import { githubTools } from "./github/index";
import { createNotion } from "./notion/client";
import { describeNotionError } from "./notion/errors";
import { notionTools } from "./notion/index";

export type BuiltinKind = (typeof BUILTINS)[number];

type Kit<Api> = {
  title: string;
  tools: BuiltinTool<Api>[];
  client: (token: string, userId: string) => Api;
  describe: (error: unknown, notFound?: string) => string;
};

const KITS: { github: Kit<ReturnType<typeof createGitHub>>; notion: Kit<ReturnType<typeof createNotion>> } = {
  github: { title: "GitHub", tools: githubTools, client: createGitHub, describe: describeGitHubError },
  notion: {
    title: "Notion",
    tools: notionTools,
    client: (token) => createNotion(token),
    describe: describeNotionError,
  },
};

/**
 * A new MCP server with one kind's tools, bound to one person's token. It is built per person and
 * never shared: the token lives only in this instance's API client. Without a token (listing for
 * an admin) every call answers with where to link one.
 */
export function createBuiltinServer(kind: BuiltinKind, token: string | undefined, userId: string): McpServer {
  return kind === "github"
    ? buildServer(KITS.github, kind, token, userId)
    : buildServer(KITS.notion, kind, token, userId);
}

function buildServer<Api>(
  kit: Kit<Api>,
  kind: BuiltinKind,
  token: string | undefined,
  userId: string,
): McpServer {
  const server = new McpServer(
    {
      name: `mcphub-builtin-${kind}`,
      title: `${kit.title} (built into MCPHub)`,
      version: packageJson.version,
    },
    { capabilities: { tools: {} } },
  );
  const api = token ? kit.client(token, userId) : undefined;
  for (const tool of kit.tools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        outputSchema: tool.output,
        annotations: { title: tool.title, ...tool.annotations },
      },
      async (args: Record<string, unknown>): Promise<CallToolResult> => {
        if (!api) return failure(linkMessage(BUILTIN_CREDENTIALS[kind]));
        try {
          const { text, data } = await tool.run(api, args);
          return { content: [{ type: "text", text }], structuredContent: data };
        } catch (error) {
          if (error instanceof RangeError) return failure(error.message);
          const message = kit.describe(error, tool.notFound(args));
          const status = (error as { status?: unknown }).status;
          logger.info({ builtin: kind, tool: tool.name, status, userId }, "built-in tool call failed");
          return failure(message);
        }
      },
    );
  }
  return server;
}

function failure(text: string): CallToolResult {
  return { isError: true, content: [{ type: "text", text }] };
}

/** Connects a hub-side MCP client to a fresh built-in server over an in-memory transport pair. */
async function connectInProcess(server: McpServer): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  // Closing the client closes its end of the pair, which closes the server's end and the server.
  return connectHubClient(clientSide, {});
}

/**
 * The connection the upstream pool keeps for one person and one built-in server: an in-process
 * server holding that person's own token. A person who has not linked the credential gets the
 * same MissingVariableError a `${USER_…}` template raises, so the catalog lists the tools from the
 * server's recorded list, marked with where to link it, and calls answer with that message.
 */
export async function connectBuiltin(
  kind: BuiltinKind,
  caller: Pick<UpstreamCaller, "userId">,
): Promise<Client> {
  const name = BUILTIN_CREDENTIALS[kind];
  const token = (await getCredentialValues(caller.userId, [name]))[name];
  if (!token) throw new MissingVariableError({ kind: "credential", name, expression: `\${USER_${name}}` });
  return connectInProcess(createBuiltinServer(kind, token, caller.userId));
}

const snapshots = new Map<BuiltinKind, Promise<ToolSnapshot[]>>();

/** The tools a built-in server offers, as the hub records them for admins (listed without any token). */
export function builtinToolSnapshot(kind: BuiltinKind): Promise<ToolSnapshot[]> {
  let snapshot = snapshots.get(kind);
  if (!snapshot) {
    snapshot = (async () => {
      const client = await connectInProcess(createBuiltinServer(kind, undefined, "admin"));
      try {
        const { tools } = await client.listTools();
        return tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema }));
      } finally {
        await client.close().catch(() => {});
      }
    })();
    snapshot.catch(() => snapshots.delete(kind));
    snapshots.set(kind, snapshot);
  }
  return snapshot;
}
