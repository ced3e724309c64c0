import { randomUUID } from "node:crypto";
import {
  type AuthInfo,
  CLIENT_CAPABILITIES_META_KEY,
  type ClientCapabilities,
  LOG_LEVEL_META_KEY,
  PROTOCOL_VERSION_META_KEY,
  ProtocolError,
  ProtocolErrorCode,
  Server,
  type ServerContext,
  UriTemplate,
} from "@modelcontextprotocol/server";
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from "@/lib/db/unavailable";
import { observeMcpResponses } from "@/lib/telemetry/mcp-span";
import { currentRequest } from "@/lib/telemetry/request-scope";
import {
  isSealedRequestState,
  type PassedInput,
  requestUpstream,
  type UpstreamRequest,
} from "@/lib/upstream/input-required";
import {
  getUpstreamPool,
  type UpstreamCaller,
  type UpstreamConnection,
  upstreamEvents,
} from "@/lib/upstream/pool";
import type { LogLevel, RelayTarget } from "@/lib/upstream/relay";
import { type ResourceSubscriber, resourceSubscriptions } from "@/lib/upstream/subscriptions";
import packageJson from "@/package.json";
import { callToolFor, listToolsFor, type McpPrincipal } from "./call-tool";
import { buildPromptCatalog, buildResourceCatalog } from "./catalog";
import { ParkedCall, type Round, resumeParkedCall } from "./parked-calls";
import { getVisibleServers, type Scope, type VisibleServer } from "./visibility";

export type { McpPrincipal };

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
  options: { session?: boolean } = {},
): Server {
  const server = new Server(
    { name: "mcphub", version: packageJson.version },
    {
      capabilities: {
        tools: { listChanged: true },
        prompts: { listChanged: true },
        // Subscriptions need a session: its standalone stream carries the updates.
        resources: { listChanged: true, ...(options.session && { subscribe: true }) },
        completions: {},
        logging: {},
      },
      instructions: INSTRUCTIONS,
    },
  );
  observeMcpResponses(server); // telemetry hook: the JSON-RPC outcome for the request's span and log
  const caller = (requestId: string | number): UpstreamCaller => ({
    userId: principal.userId,
    email: principal.email,
    requestId: String(requestId),
  });
  const visible = async (): Promise<VisibleServer[]> =>
    (await getVisibleServers(principal.userId, scope)) ?? [];
  let logLevel: LogLevel | undefined;
  // Where an upstream's questions and log lines for one request go (lib/upstream/relay.ts). A
  // 2025-11-25 session's request stream can carry a question to the client and its answer back; a
  // 2026-07-28 tools/call parks instead (below); other requests cannot take questions.
  const relayTo = (ctx: ServerContext): RelayTarget => ({
    userId: principal.userId,
    ...(options.session && {
      client: {
        capabilities: () => server.getClientCapabilities(),
        send: (request, sendOptions) => ctx.mcpReq.send(request as never, sendOptions),
      },
    }),
    notify: (notification) => ctx.mcpReq.notify(notification as never),
    logLevel: () => logLevel,
  });

  /** A prompts/get or resources/read of this person, for requestUpstream. */
  const upstreamRequest = (
    connection: UpstreamConnection,
    ctx: ServerContext,
    method: string,
    name: string,
  ): UpstreamRequest => {
    const round = modernRound(ctx, undefined);
    return {
      client: connection.client,
      relay: connection.relay,
      server: connection.server,
      target: relayTo(ctx),
      signal: ctx.mcpReq.signal,
      binding: { userId: principal.userId, method, name },
      ...(round && { passInput: passedInput(ctx, round) }),
    };
  };

  server.setRequestHandler("tools/list", async (_request, ctx) => ({
    tools: await databaseGuard(() => listToolsFor(principal, scope, String(ctx.mcpReq.id))),
  }));

  server.setRequestHandler("tools/call", (request, ctx) =>
    databaseGuard(async () => {
      const name = request.params.name;
      // 2026-07-28: no stream for a question to the client; an upstream's question parks the call
      // and becomes an input_required result, and the retry's answers resume it (parked-calls.ts).
      const round = modernRound(ctx, request.params._meta?.progressToken);
      const state = round ? ctx.mcpReq.requestState() : undefined;
      // A state the hub sealed around an upstream's own (lib/upstream/input-required.ts) goes back
      // to that upstream with the answers; any other names a parked call.
      if (round && typeof state === "string" && !isSealedRequestState(state)) {
        return resumeParkedCall(state, principal.userId, name).resume(ctx.mcpReq.inputResponses ?? {}, round);
      }
      const parked = round && new ParkedCall(principal.userId, name, round);
      const progressToken = request.params._meta?.progressToken;
      // A session outlives the key that opened it (it is bound to the person): the key that sent
      // this very request is the one the call log names.
      const keyId = requestPrincipal(ctx.http?.authInfo)?.keyId ?? principal.keyId;
      // Progress notifications still being written when the result arrives are waited for, so the
      // last one is not lost when the response ends the request's stream.
      const notifying = new Set<Promise<void>>();
      const call = callToolFor({ ...principal, keyId }, scope, name, request.params.arguments, {
        // The hub's own id for this call (log rows, ${MCPHUB_REQUEST_ID}, X-MCPHub-Request-Id): the
        // JSON-RPC id is the client's choice and repeats across connections. It is the HTTP
        // request's X-Request-Id, so the id a person quotes finds the call log row too.
        requestId: currentRequest()?.requestId ?? randomUUID(),
        signal: parked ? parked.signal : ctx.mcpReq.signal,
        relayTo: parked ? parked.target(principal.userId) : relayTo(ctx),
        linkBy: linkingMode(server, ctx.mcpReq),
        ...(round && { passInput: passedInput(ctx, round) }),
        ...(progressToken !== undefined && {
          onProgress: (progress) => {
            if (parked) return parked.progress(progress);
            const sent = ctx.mcpReq
              .notify({ method: "notifications/progress", params: { ...progress, progressToken } })
              .catch(() => {});
            notifying.add(sent);
            void sent.finally(() => notifying.delete(sent));
          },
        }),
      });
      if (parked) {
        parked.start(call);
        return parked.nextRound(round);
      }
      const result = await call;
      await Promise.all(notifying);
      return result;
    }),
  );

  // The level filters the upstreams' log lines passed on during this session's requests (the hub
  // has none of its own).
  server.setRequestHandler("logging/setLevel", async (request) => {
    logLevel = request.params.level;
    return {};
  });

  server.setRequestHandler("completion/complete", async (request, ctx) => {
    const who = caller(ctx.mcpReq.id);
    const ref = request.params.ref;
    const servers = await visible();
    let owner: VisibleServer["server"] | undefined;
    let upstreamRef = ref;
    if (ref.type === "ref/prompt") {
      const route = (await buildPromptCatalog(servers, who)).routes.get(ref.name);
      owner = route?.server;
      upstreamRef = { ...ref, name: route?.upstreamName ?? ref.name };
    } else {
      const templates = await buildResourceCatalog(servers, who, "resourceTemplates");
      owner = templates.owners.find((o) =>
        o.items.some((item) => "uriTemplate" in item && item.uriTemplate === ref.uri),
      )?.server;
    }
    if (!owner)
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        ref.type === "ref/prompt" ? `Unknown prompt: ${ref.name}` : `Unknown resource template: ${ref.uri}`,
      );
    const connection = await getUpstreamPool().acquire(owner, who);
    if (!connection.client.getServerCapabilities()?.completions)
      return { completion: { values: [], total: 0, hasMore: false } };
    return connection.client.complete({ ...request.params, ref: upstreamRef }, { signal: ctx.mcpReq.signal });
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
    const prompt = { name: route.upstreamName, arguments: request.params.arguments };
    return requestUpstream(
      upstreamRequest(connection, ctx, "prompts/get", request.params.name),
      (params, allow) =>
        connection.client.getPrompt(params ? { ...prompt, ...params } : prompt, {
          signal: ctx.mcpReq.signal,
          ...(allow && { allowInputRequired: true }),
        }),
    ) as never;
  });

  server.setRequestHandler("resources/list", async () => ({
    resources: (await buildResourceCatalog(await visible(), caller("list"), "resources")).items as never,
  }));
  server.setRequestHandler("resources/templates/list", async () => ({
    resourceTemplates: (await buildResourceCatalog(await visible(), caller("list"), "resourceTemplates"))
      .items as never,
  }));

  /** The visible server that lists a resource, or whose template matches its URI. */
  const resourceOwner = async (uri: string, who: UpstreamCaller) => {
    const servers = await visible();
    const listed = await buildResourceCatalog(servers, who, "resources");
    const owner = listed.owners.find((o) =>
      o.items.some((item) => "uri" in item && item.uri === uri),
    )?.server;
    if (owner) return owner;
    const templates = await buildResourceCatalog(servers, who, "resourceTemplates");
    return templates.owners.find((o) =>
      o.items.some((item) => "uriTemplate" in item && new UriTemplate(item.uriTemplate).match(uri) !== null),
    )?.server;
  };

  server.setRequestHandler("resources/read", async (request, ctx) => {
    const who = caller(ctx.mcpReq.id);
    const uri = request.params.uri;
    const owner = await resourceOwner(uri, who);
    if (!owner) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Resource not found: ${uri}`);
    const connection = await getUpstreamPool().acquire(owner, who);
    return requestUpstream(upstreamRequest(connection, ctx, "resources/read", uri), (params, allow) =>
      connection.client.readResource(params ? { uri, ...params } : { uri }, {
        signal: ctx.mcpReq.signal,
        ...(allow && { allowInputRequired: true }),
      }),
    ) as never;
  });

  if (options.session) {
    // A session can subscribe to resources: the upstream that holds one is subscribed through the
    // person's (or the shared) connection, and its updates come back to this session only.
    const subscriber: ResourceSubscriber = {
      userId: principal.userId,
      updated: (uri) => server.sendResourceUpdated({ uri }),
      canSee: async (serverId) => (await visible()).some((v) => v.server.id === serverId),
    };
    server.setRequestHandler("resources/subscribe", async (request, ctx) => {
      const who = caller(ctx.mcpReq.id);
      const owner = await resourceOwner(request.params.uri, who);
      if (!owner)
        throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Resource not found: ${request.params.uri}`);
      const connection = await getUpstreamPool().acquire(owner, who);
      if (!connection.client.getServerCapabilities()?.resources?.subscribe)
        throw new ProtocolError(
          ProtocolErrorCode.InvalidParams,
          `${owner.name} does not offer subscriptions to its resources; read ${request.params.uri} again to see changes`,
        );
      await resourceSubscriptions.subscribe(connection, request.params.uri, subscriber);
      return {};
    });
    server.setRequestHandler("resources/unsubscribe", async (request) => {
      await resourceSubscriptions.unsubscribe(request.params.uri, subscriber);
      return {};
    });
    const closing = server.onclose;
    server.onclose = () => {
      resourceSubscriptions.dropSubscriber(subscriber);
      closing?.();
    };

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

/**
 * Whether this client can open a URL for the person (URL-mode elicitation), and in which revision's
 * form. A 2026-07-28 request declares its capabilities in its own `_meta`; a retry that carries
 * input responses has been to the page already, so it gets the plain message if still unlinked.
 */
function linkingMode(
  server: Server,
  request: { envelope?: object; inputResponses?: Record<string, unknown> },
): "url-elicitation-error" | "input-required" | undefined {
  const envelope = request.envelope as Record<string, unknown> | undefined;
  if (envelope?.[PROTOCOL_VERSION_META_KEY] !== undefined) {
    if (request.inputResponses) return undefined;
    const capabilities = envelope[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined;
    return capabilities?.elicitation?.url ? "input-required" : undefined;
  }
  return server.getClientCapabilities()?.elicitation?.url ? "url-elicitation-error" : undefined;
}

/** The round of a 2026-07-28 request (its envelope names the revision), or undefined for 2025-11-25. */
function modernRound(ctx: ServerContext, progressToken: string | number | undefined): Round | undefined {
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  if (envelope?.[PROTOCOL_VERSION_META_KEY] === undefined) return undefined;
  return {
    notify: (notification) => ctx.mcpReq.notify(notification as never),
    signal: ctx.mcpReq.signal,
    capabilities: envelope[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined,
    progressToken,
    logLevel: envelope[LOG_LEVEL_META_KEY] as LogLevel | undefined,
  };
}

/** What a 2026-07-28 request brings to an upstream's input_required exchange: its answers and state. */
function passedInput(ctx: ServerContext, round: Round): PassedInput {
  const state = ctx.mcpReq.requestState();
  return {
    capabilities: round.capabilities,
    logLevel: round.logLevel,
    ...(ctx.mcpReq.inputResponses && { inputResponses: ctx.mcpReq.inputResponses }),
    ...(typeof state === "string" && { requestState: state }),
  };
}

/** The principal that authenticated one HTTP request (set by http-handler.ts in `authInfo.extra`). */
function requestPrincipal(authInfo: AuthInfo | undefined): McpPrincipal | undefined {
  return (authInfo?.extra as { principal?: McpPrincipal } | undefined)?.principal;
}

/**
 * A database that cannot be reached (a key accepted from the cache during an outage, then the
 * person's groups could not be read) is a JSON-RPC error that says to retry, not the driver's text.
 */
async function databaseGuard<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isDatabaseUnavailable(error))
      throw new ProtocolError(ProtocolErrorCode.InternalError, DATABASE_UNAVAILABLE_MESSAGE);
    throw error;
  }
}
