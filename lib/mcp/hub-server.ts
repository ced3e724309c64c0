import { randomUUID } from "node:crypto";
import {
  type AuthInfo,
  type CallToolResult,
  ProtocolError,
  ProtocolErrorCode,
  Server,
  UriTemplate,
} from "@modelcontextprotocol/server";
import { withTimeout } from "@/lib/upstream/connect";
import {
  DEFAULT_CALL_TIMEOUT_MS,
  getUpstreamPool,
  type UpstreamCaller,
  upstreamEvents,
} from "@/lib/upstream/pool";
import { describeError } from "@/lib/upstream/probe";
import { requestContext } from "@/lib/upstream/request-context";
import packageJson from "@/package.json";
import { recordCall } from "./call-log";
import { buildPromptCatalog, buildResourceCatalog, buildToolCatalog } from "./catalog";
import { getVisibleServers, type Scope, type VisibleServer } from "./visibility";

/** Who is calling through which key: set from the authenticated key on every HTTP request. */
export type McpPrincipal = { userId: string; email: string; keyId: string };

const INSTRUCTIONS =
  "MCPHub: the tools of your active groups, run with your own accounts. Tool names are <server>-<tool>.";

/**
 * Builds a fresh MCP server for one person: for one HTTP request (stateless and 2026-07-28), or
 * for one 2025-11-25 session. Never shared between people: every handler lists and routes only
 * what this person's groups expose.
 */
export function buildHubServer(
  principal: McpPrincipal,
  scope: Scope,
  options: { onListChanged?: boolean } = {},
): Server {
  const server = new Server(
    { name: "mcphub", version: packageJson.version },
    {
      capabilities: {
        tools: { listChanged: true },
        prompts: { listChanged: true },
        resources: { listChanged: true },
      },
      instructions: INSTRUCTIONS,
    },
  );
  const caller = (requestId: string | number): UpstreamCaller => ({
    userId: principal.userId,
    email: principal.email,
    requestId: String(requestId),
  });
  const visible = async (): Promise<VisibleServer[]> =>
    (await getVisibleServers(principal.userId, scope)) ?? [];

  server.setRequestHandler("tools/list", async (request) => {
    const catalog = await buildToolCatalog(await visible(), caller(String(request.params?.cursor ?? "list")));
    return { tools: catalog.items };
  });

  server.setRequestHandler("tools/call", async (request, ctx) => {
    const startedAt = new Date();
    const started = performance.now();
    // The hub's own id for this call (log rows, ${MCPHUB_REQUEST_ID}, X-MCPHub-Request-Id): the
    // JSON-RPC id is the client's choice and repeats across connections (every SDK client counts from 0).
    const requestId = randomUUID();
    // A session outlives the key that opened it (it is bound to the person): the key that sent
    // this very request is the one the call log names.
    const keyId = requestPrincipal(ctx.http?.authInfo)?.keyId ?? principal.keyId;
    const who = caller(requestId);
    const name = request.params.name;
    const catalog = await buildToolCatalog(await visible(), who);
    const route = catalog.routes.get(name);
    // A tool the caller cannot see answers exactly like one that does not exist.
    if (!route) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown tool: ${name}`);
    const argumentBytes = Buffer.byteLength(JSON.stringify(request.params.arguments ?? {}));
    const log = (status: string, errorClass: string | null, result?: unknown) =>
      recordCall({
        at: startedAt,
        userId: principal.userId,
        keyId,
        serverId: route.server.id,
        serverName: route.server.name,
        tool: route.upstreamName,
        status,
        durationMs: Math.round(performance.now() - started),
        errorClass,
        requestId,
        argumentBytes,
        resultBytes: result === undefined ? null : Buffer.byteLength(JSON.stringify(result)),
      });
    const progressToken = request.params._meta?.progressToken;
    const timeout = route.server.config.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    try {
      const result = await requestContext.run(who, async () => {
        const connection = await getUpstreamPool().acquire(route.server, who);
        return withTimeout(
          connection.client.callTool(
            { name: route.upstreamName, arguments: request.params.arguments ?? {} },
            {
              timeout,
              signal: ctx.mcpReq.signal,
              resetTimeoutOnProgress: progressToken !== undefined,
              ...(progressToken !== undefined && {
                onprogress: (progress) =>
                  void ctx.mcpReq
                    .notify({ method: "notifications/progress", params: { ...progress, progressToken } })
                    .catch(() => {}),
              }),
            },
          ),
          timeout + 1_000,
          `${route.server.name}/${route.upstreamName}`,
        );
      });
      log(result.isError ? "tool_error" : "ok", null, result);
      return result;
    } catch (error) {
      if (error instanceof ProtocolError && error.code === ProtocolErrorCode.InvalidParams) {
        log("error", "invalid_params");
        throw error;
      }
      const message = describeError(error);
      log("error", errorClass(error));
      return {
        isError: true,
        content: [{ type: "text", text: `${route.server.name}: ${message}` }],
      } satisfies CallToolResult;
    }
  });

  server.setRequestHandler("prompts/list", async (request) => ({
    prompts: (await buildPromptCatalog(await visible(), caller(String(request.params?.cursor ?? "list"))))
      .items,
  }));

  server.setRequestHandler("prompts/get", async (request, ctx) => {
    const who = caller(ctx.mcpReq.id);
    const catalog = await buildPromptCatalog(await visible(), who);
    const route = catalog.routes.get(request.params.name);
    if (!route)
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown prompt: ${request.params.name}`);
    const connection = await getUpstreamPool().acquire(route.server, who);
    return connection.client.getPrompt(
      { name: route.upstreamName, arguments: request.params.arguments },
      { signal: ctx.mcpReq.signal },
    );
  });

  server.setRequestHandler("resources/list", async () => ({
    resources: (await buildResourceCatalog(await visible(), caller("list"), "resources")).items as never,
  }));
  server.setRequestHandler("resources/templates/list", async () => ({
    resourceTemplates: (await buildResourceCatalog(await visible(), caller("list"), "resourceTemplates"))
      .items as never,
  }));

  server.setRequestHandler("resources/read", async (request, ctx) => {
    const who = caller(ctx.mcpReq.id);
    const uri = request.params.uri;
    const servers = await visible();
    const listed = await buildResourceCatalog(servers, who, "resources");
    let owner = listed.owners.find((o) => o.items.some((item) => "uri" in item && item.uri === uri))?.server;
    if (!owner) {
      const templates = await buildResourceCatalog(servers, who, "resourceTemplates");
      owner = templates.owners.find((o) =>
        o.items.some(
          (item) => "uriTemplate" in item && new UriTemplate(item.uriTemplate).match(uri) !== null,
        ),
      )?.server;
    }
    if (!owner) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Resource not found: ${uri}`);
    const connection = await getUpstreamPool().acquire(owner, who);
    return connection.client.readResource({ uri }, { signal: ctx.mcpReq.signal });
  });

  if (options.onListChanged) {
    // Sessions pass an upstream's list change on to their client, for servers it can see.
    const onChange = async (serverId: string, kind: string) => {
      if (!(await visible()).some((v) => v.server.id === serverId)) return;
      if (kind === "tools") await server.sendToolListChanged().catch(() => {});
      else if (kind === "prompts") await server.sendPromptListChanged().catch(() => {});
      else await server.sendResourceListChanged().catch(() => {});
    };
    upstreamEvents.on("list_changed", onChange);
    const previous = server.onclose;
    server.onclose = () => {
      upstreamEvents.off("list_changed", onChange);
      previous?.();
    };
  }
  return server;
}

/** The principal that authenticated one HTTP request (set by http-handler.ts in `authInfo.extra`). */
function requestPrincipal(authInfo: AuthInfo | undefined): McpPrincipal | undefined {
  return (authInfo?.extra as { principal?: McpPrincipal } | undefined)?.principal;
}

function errorClass(error: unknown): string {
  const text =
    error instanceof Error
      ? `${error.name} ${error.message} ${(error as { code?: unknown }).code ?? ""}`
      : String(error);
  if (/timed? ?out|TIMEOUT/i.test(text)) return "timeout";
  if (/abort|cancel/i.test(text)) return "cancelled";
  if (/unavailable|ECONNREFUSED|closed|exited|CONNECTION/i.test(text)) return "upstream_unavailable";
  if (error instanceof ProtocolError) return `protocol_${error.code}`;
  return "upstream_error";
}
