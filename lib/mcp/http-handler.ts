import { randomBytes } from "node:crypto";
import {
  type AuthInfo,
  createMcpHandler,
  isLegacyRequest,
  WebStandardStreamableHTTPServerTransport,
} from "@modelcontextprotocol/server";
import { getEnv, getPublicUrl } from "@/lib/config/env";
import {
  DATABASE_RETRY_AFTER_SECONDS,
  DATABASE_UNAVAILABLE_MESSAGE,
  isDatabaseUnavailable,
} from "@/lib/db/unavailable";
import { groupNameSchema } from "@/lib/groups/schemas";
import { isJsonMediaType } from "@/lib/http/content-type";
import { authenticateKey } from "@/lib/keys/authenticate";
import { logger } from "@/lib/logger";
import { traceMcpRequest } from "@/lib/telemetry/mcp-span";
import { serveInRequestScope } from "@/lib/telemetry/request-scope";
import { buildHubServer, type McpPrincipal } from "./hub-server";
import { isBodyCutShort, MAX_BODY_BYTES, readLimitedBody } from "./limits";
import { addSession, closeSession, getSession } from "./sessions";
import { getVisibleServers, type Scope } from "./visibility";

function jsonRpcError(status: number, code: number, message: string, headers: Record<string, string> = {}) {
  return Response.json({ jsonrpc: "2.0", id: null, error: { code, message } }, { status, headers });
}

/**
 * 401 with where to get a key, as clients (and the OAuth-aware ones) expect. Per RFC 6750 §3.1 the
 * challenge names `invalid_token` only when a key was sent; a request without one gets the bare challenge.
 */
function unauthorized(reason: string, keySent: boolean) {
  const keysUrl = `${getPublicUrl()}/account/keys`;
  return Response.json(
    {
      error: "unauthorized",
      message: `${reason}. Create an MCPHub key at ${keysUrl} and send it as 'Authorization: Bearer mcphub_…'.`,
      keysUrl,
    },
    {
      status: 401,
      headers: {
        "WWW-Authenticate": keySent
          ? `Bearer realm="mcphub", error="invalid_token", error_description="${reason}"`
          : 'Bearer realm="mcphub"',
      },
    },
  );
}

let allowed: { publicUrl: string; hosts: Set<string> } | undefined;
/** The public URL's host name and loopback's, worked out again only when the public URL changes. */
function allowedHostsNow(): Set<string> {
  const publicUrl = getPublicUrl();
  if (allowed?.publicUrl !== publicUrl)
    allowed = {
      publicUrl,
      hosts: new Set([new URL(publicUrl).hostname, "localhost", "127.0.0.1", "[::1]"]),
    };
  return allowed.hosts;
}

/** Hosts and origins the endpoint answers: the public URL's and loopback (DNS-rebinding protection). */
function allowedOrigin(request: Request): string | null {
  const allowedHosts = allowedHostsNow();
  const host = request.headers.get("host")?.replace(/:\d+$/, "");
  if (host && !allowedHosts.has(host)) return `Host ${host} is not served here`;
  const origin = request.headers.get("origin");
  if (origin) {
    let hostname: string;
    try {
      hostname = new URL(origin).hostname;
    } catch {
      return "The Origin header is malformed";
    }
    if (!allowedHosts.has(hostname) && !allowedHosts.has(`[${hostname}]`))
      return `Origin ${origin} may not call this endpoint`;
  }
  return null;
}

function keyOf(request: Request): string | undefined {
  const header = request.headers.get("authorization");
  if (header) return /^Bearer\s+(\S+)$/i.exec(header.trim())?.[1] ?? "";
  return new URL(request.url).searchParams.get("key") ?? undefined;
}

async function authenticate(request: Request): Promise<McpPrincipal | Response> {
  const key = keyOf(request);
  if (!key) return unauthorized("No MCPHub key was sent", false);
  let principal: Awaited<ReturnType<typeof authenticateKey>>;
  try {
    principal = await authenticateKey(key);
  } catch (error) {
    if (isDatabaseUnavailable(error)) return databaseUnavailable();
    throw error;
  }
  if (!principal)
    return unauthorized("The key is unknown, revoked or expired, or its owner is disabled", true);
  // The key lookup already refused disabled owners (cached for at most a second, and dropped at
  // once on this instance when an admin disables someone): no database trip on the hot path.
  return { userId: principal.userId, email: principal.email, keyId: principal.keyId };
}

// One handler for the stateless 2026-07-28 revision; its factory builds a fresh server per request
// for the principal passed in `authInfo`, so no server or transport is ever shared between people.
const modernHandler = createMcpHandler(
  (ctx) => {
    const extra = ctx.authInfo?.extra as { principal: McpPrincipal; scope: Scope } | undefined;
    if (!extra) throw new Error("unauthenticated request reached the MCP handler");
    return buildHubServer(extra.principal, extra.scope);
  },
  { legacy: "reject", onerror: (error) => logger.warn({ err: error.message }, "MCP request rejected") },
);

/**
 * Serves /api/mcp and /api/mcp/{group}: validates Host/Origin and size, authenticates the key on
 * every request, then hands the request to the 2026-07-28 handler or to a 2025-11-25 session (or a
 * stateless 2025 exchange). Each request gets an id (X-Request-Id, on every log line it causes).
 */
export function handleMcpRequest(
  request: Request,
  groupName?: string,
  readBody: () => Promise<string | null> = () => readLimitedBody(request),
): Promise<Response> {
  return serveInRequestScope(
    request,
    () => serveMcpRequest(request, groupName, readBody),
    (requestId, error) =>
      isDatabaseUnavailable(error)
        ? databaseUnavailable()
        : jsonRpcError(
            500,
            -32603,
            `Internal error (request ${requestId}): the admin can find its cause in the hub's log`,
          ),
  );
}

const checkedGroupNames = new Map<string, boolean>();
/** groupNameSchema's verdict, remembered: a client sends the same group's name with every request. */
function isPossibleGroupName(name: string): boolean {
  let possible = checkedGroupNames.get(name);
  if (possible === undefined) {
    possible = groupNameSchema.safeParse(name).success;
    // Names come from URLs anyone can send: the memory stays bounded.
    if (checkedGroupNames.size >= 1_000) checkedGroupNames.clear();
    checkedGroupNames.set(name, possible);
  }
  return possible;
}

/** 503 with Retry-After: the request may be sent again as it is once the database is back. */
function databaseUnavailable(): Response {
  return jsonRpcError(503, -32000, DATABASE_UNAVAILABLE_MESSAGE, {
    "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS),
  });
}

/**
 * `readBody` gives the POST body as text, or null when it is larger than MAX_BODY_BYTES. The body is
 * read only after the key and group checks, so a refused request never costs reading 4 MB.
 */
async function serveMcpRequest(
  request: Request,
  groupName: string | undefined,
  readBody: () => Promise<string | null>,
): Promise<Response> {
  const refused = allowedOrigin(request);
  if (refused) return jsonRpcError(403, -32600, refused);
  const principal = await authenticate(request);
  if (principal instanceof Response) return principal;
  const scope: Scope = groupName ? { kind: "group", name: groupName } : { kind: "active" };
  // A name no group can have (a NUL byte, a slash) is not looked up: it answers like an unknown group.
  const impossible = groupName !== undefined && !isPossibleGroupName(groupName);
  if (groupName && (impossible || (await getVisibleServers(principal.userId, scope)) === null)) {
    return jsonRpcError(
      404,
      -32600,
      `You are not a member of a group named ${groupName}; see ${getPublicUrl()}/groups`,
    );
  }
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_BODY_BYTES)
    return jsonRpcError(413, -32600, `The request body is larger than ${MAX_BODY_BYTES} bytes`);

  let body: unknown;
  if (request.method === "POST") {
    let text: string | null;
    try {
      text = await readBody();
    } catch (error) {
      if (!isBodyCutShort(error)) throw error;
      // The client's doing, not the hub's: nobody is left to read an answer, and no error to log.
      logger.info("the client closed the connection before its request body was complete");
      return jsonRpcError(400, -32600, "The request body was cut short: the connection closed");
    }
    if (text === null || Buffer.byteLength(text) > MAX_BODY_BYTES)
      return jsonRpcError(413, -32600, `The request body is larger than ${MAX_BODY_BYTES} bytes`);
    const type = request.headers.get("content-type") ?? "";
    if (!isJsonMediaType(type))
      return jsonRpcError(415, -32600, "Send JSON-RPC with Content-Type: application/json");
    try {
      body = JSON.parse(text);
    } catch {
      return jsonRpcError(400, -32700, "Parse error: the body is not valid JSON");
    }
    if (Array.isArray(body))
      return jsonRpcError(
        400,
        -32600,
        "Batch requests are not supported: send one JSON-RPC message per request",
      );
    if (typeof body !== "object" || body === null)
      return jsonRpcError(400, -32600, "Invalid Request: the body must be a JSON-RPC object");
  }

  const authInfo: AuthInfo = {
    token: "mcphub-key",
    clientId: principal.keyId ?? "portal",
    scopes: [],
    extra: { principal, scope },
  };
  const traced = { request, body, userId: principal.userId, group: groupName };
  return traceMcpRequest(traced, async () => {
    if (!(await isLegacyRequest(request, body)))
      return modernHandler.fetch(request, { authInfo, parsedBody: body });
    return handleLegacy(request, body, principal, scope, authInfo);
  });
}

/**
 * 192 bits from the OS's secure random source, after this instance's MCPHUB_INSTANCE_ID when set:
 * a 2025-11-25 session lives on the instance that opened it, and the prefix is what a load
 * balancer routes on (docs/deployment.md).
 */
function newSessionId(): string {
  const random = randomBytes(24).toString("base64url");
  const instance = getEnv().MCPHUB_INSTANCE_ID;
  return instance ? `${instance}.${random}` : random;
}

/**
 * A session's GET stream is silent until the first notification, and Next.js sends no headers
 * before the first byte: clients and proxies would wait on a request that has in fact succeeded.
 * An SSE comment (ignored by every SSE reader) flushes the headers at once.
 */
function withOpeningComment(response: Response): Response {
  if (!response.body || !response.headers.get("content-type")?.startsWith("text/event-stream"))
    return response;
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(": stream open\n\n"));
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

function sameScope(a: Scope, b: Scope): boolean {
  return a.kind === b.kind && (a.kind === "active" || (b.kind === "group" && a.name === b.name));
}

async function handleLegacy(
  request: Request,
  body: unknown,
  principal: McpPrincipal,
  scope: Scope,
  authInfo: AuthInfo,
): Promise<Response> {
  const sessionId = request.headers.get("mcp-session-id");
  if (sessionId) {
    const session = getSession(sessionId);
    // Another person's session id answers exactly like an unknown one.
    if (!session || session.userId !== principal.userId || !sameScope(session.scope, scope)) {
      return jsonRpcError(404, -32001, "Session not found: initialize a new session");
    }
    session.lastSeen = Date.now();
    const answer = await session.transport.handleRequest(request, { authInfo, parsedBody: body });
    return request.method === "GET" ? withOpeningComment(answer) : answer;
  }
  const isInitialize =
    typeof body === "object" && body !== null && (body as { method?: unknown }).method === "initialize";
  if (request.method === "POST" && isInitialize) {
    const server = buildHubServer(principal, scope, { session: true });
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: newSessionId,
      onsessioninitialized: (id) =>
        addSession({ id, userId: principal.userId, scope, server, transport, lastSeen: Date.now() }),
      onsessionclosed: (id) => closeSession(id),
    });
    await server.connect(transport);
    return transport.handleRequest(request, { authInfo, parsedBody: body });
  }
  if (request.method !== "POST")
    return jsonRpcError(405, -32600, "GET and DELETE need an Mcp-Session-Id: initialize a session first");
  // A 2025 request without a session: served statelessly by a server built for this one request.
  const server = buildHubServer(principal, scope);
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  await server.connect(transport);
  // Nothing else can cancel a request without a session: a client that goes away ends it, and
  // closing the server aborts the call in flight, which cancels it upstream.
  const leave = () => void server.close().catch(() => {});
  request.signal.addEventListener("abort", leave, { once: true });
  try {
    return await transport.handleRequest(request, { authInfo, parsedBody: body });
  } finally {
    request.signal.removeEventListener("abort", leave);
    void server.close().catch(() => {});
  }
}
