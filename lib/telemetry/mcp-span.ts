import { createHash } from "node:crypto";
import type { Attributes, Context, Span } from "@opentelemetry/api";
import { currentRequest, type RequestScope } from "./request-scope";
import { clip, getTracing, type Tracing } from "./tracing";

/** What the hub knows about one MCP request once its body has been read. */
export type McpRequestInfo = {
  request: Request;
  body: unknown;
  /** The hub's user id of the caller: never an email, a key or a credential. */
  userId: string;
  /** The group of /api/mcp/{group}. */
  group?: string;
};

type Message = {
  method?: unknown;
  id?: unknown;
  params?: { name?: unknown; uri?: unknown; _meta?: unknown };
};

/** The JSON-RPC method of a parsed body, cut short for logs and spans (clients choose it). */
export function methodOf(body: unknown): string | undefined {
  const method = (body as Message | null)?.method;
  return typeof method === "string" ? clip(method, 128) : undefined;
}

/**
 * Serves one MCP POST inside a SERVER span named `<method> <tool or prompt>` with the attributes of
 * OpenTelemetry's MCP conventions. The parent is the trace context the client put in
 * `params._meta` (SEP-414), else its `traceparent` header. The span ends when the response body
 * has been sent, so a streamed answer and its upstream calls are inside it.
 */
export async function traceMcpRequest(
  info: McpRequestInfo,
  serve: () => Promise<Response>,
): Promise<Response> {
  const scope = currentRequest();
  const method = methodOf(info.body);
  if (scope && method) scope.mcpMethod = method;
  const tracing = getTracing();
  if (!tracing || !method) return serve();
  const { api, tracer } = tracing;
  const message = info.body as Message;
  const params = typeof message.params === "object" && message.params !== null ? message.params : {};
  const target = method === "tools/call" || method === "prompts/get" ? stringOf(params.name) : undefined;
  const attributes: Attributes = {
    "mcp.method.name": method,
    "network.transport": "tcp",
    "network.protocol.name": "http",
    "user.id": info.userId,
    ...(scope && { "mcphub.request.id": scope.requestId }),
    ...(info.group && { "mcphub.group": clip(info.group) }),
    ...(isRequestId(message.id) && { "jsonrpc.request.id": clip(String(message.id)) }),
    ...(protocolVersionOf(info.request, message) && {
      "mcp.protocol.version": protocolVersionOf(info.request, message),
    }),
    ...(sessionAttribute(info.request) && { "mcp.session.id": sessionAttribute(info.request) }),
    ...(method === "tools/call" &&
      target && { "gen_ai.tool.name": target, "gen_ai.operation.name": "execute_tool" }),
    ...(method === "prompts/get" && target && { "gen_ai.prompt.name": target }),
    ...(method === "resources/read" &&
      stringOf(params.uri) && { "mcp.resource.uri": withoutQuery(params.uri as string) }),
  };
  const parent = parentContext(api, info.request, params._meta);
  const span = tracer.startSpan(
    target ? `${method} ${target}` : method,
    { kind: api.SpanKind.SERVER, attributes },
    parent,
  );
  if (scope) {
    scope.traceId = span.spanContext().traceId;
    scope.spanId = span.spanContext().spanId;
  }
  let response: Response;
  try {
    response = await api.context.with(api.trace.setSpan(parent, span), serve);
  } catch (error) {
    span.setAttribute("error.type", error instanceof Error ? error.name : "_OTHER");
    span.setStatus({ code: api.SpanStatusCode.ERROR });
    span.end();
    throw error;
  }
  span.setAttribute("http.response.status_code", response.status);
  // The body is read outside the request's async context: the scope is passed, not looked up.
  return endWithBody(response, () => finish(tracing, span, response.status, scope));
}

function finish(tracing: Tracing, span: Span, status: number, scope: RequestScope | undefined): void {
  const errorType = scope?.errorType ?? (status >= 400 ? String(status) : undefined);
  if (errorType) {
    span.setAttribute("error.type", errorType);
    // A JSON-RPC error code is also the response's status code in the MCP conventions.
    if (scope?.errorType && /^-?\d+$/.test(scope.errorType))
      span.setAttribute("rpc.response.status_code", errorType);
    span.setStatus({
      code: tracing.api.SpanStatusCode.ERROR,
      ...(scope?.errorMessage && { message: clip(scope.errorMessage) }),
    });
  }
  span.end();
}

/** Calls `done` once the body has been read to its end or abandoned (or at once without a body). */
function endWithBody(response: Response, done: () => void): Response {
  if (!response.body) {
    done();
    return response;
  }
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    done();
  };
  const reader = response.body.getReader();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: finished, value } = await reader.read();
        if (finished) {
          end();
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        end();
        controller.error(error);
      }
    },
    cancel(reason) {
      end();
      return reader.cancel(reason);
    },
  });
  return new Response(stream, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

function parentContext(api: Tracing["api"], request: Request, meta: unknown): Context {
  const fromMeta =
    typeof meta === "object" &&
    meta !== null &&
    typeof (meta as Record<string, unknown>).traceparent === "string"
      ? (meta as Record<string, unknown>)
      : undefined;
  const carrier: Record<string, string> = {};
  if (fromMeta) {
    carrier.traceparent = String(fromMeta.traceparent);
    if (typeof fromMeta.tracestate === "string") carrier.tracestate = fromMeta.tracestate;
  } else {
    const traceparent = request.headers.get("traceparent");
    const tracestate = request.headers.get("tracestate");
    if (traceparent) carrier.traceparent = traceparent;
    if (tracestate) carrier.tracestate = tracestate;
  }
  return api.propagation.extract(api.ROOT_CONTEXT, carrier);
}

function stringOf(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? clip(value, 128) : undefined;
}

function isRequestId(id: unknown): id is string | number {
  return typeof id === "string" || (typeof id === "number" && Number.isFinite(id));
}

function protocolVersionOf(request: Request, message: Message): string | undefined {
  const meta = message.params?._meta as Record<string, unknown> | undefined;
  const fromMeta = meta?.["io.modelcontextprotocol/protocolVersion"];
  const initialize =
    message.method === "initialize" ? (message.params as { protocolVersion?: unknown }) : undefined;
  const version =
    typeof fromMeta === "string"
      ? fromMeta
      : (request.headers.get("mcp-protocol-version") ?? initialize?.protocolVersion);
  return typeof version === "string" && /^[\w.-]{1,32}$/.test(version) ? version : undefined;
}

/**
 * A session id is a bearer of the session (with the person's key): only a short SHA-256 of it is
 * exported, enough to group a session's spans.
 */
function sessionAttribute(request: Request): string | undefined {
  const id = request.headers.get("mcp-session-id");
  return id ? createHash("sha256").update(id).digest("hex").slice(0, 16) : undefined;
}

/** A URI without its query and fragment, where a signed URL would carry its token. */
function withoutQuery(uri: string): string {
  return clip(uri.replace(/[?#].*$/s, "").replace(/^([a-z][\w+.-]*:\/\/)[^/@]*@/i, "$1"));
}

/**
 * Notes the JSON-RPC outcome of responses the hub sends for the request being served (the span's
 * error.type). Wraps `connect` so every transport the server is connected to is observed.
 */
export function observeMcpResponses(server: { connect: (transport: never) => Promise<void> }): void {
  const connect = server.connect.bind(server);
  server.connect = ((transport: { send: (message: unknown, options?: unknown) => Promise<void> }) => {
    const send = transport.send.bind(transport);
    transport.send = (message, options) => {
      noteOutcome(message);
      return send(message, options);
    };
    return connect(transport as never);
  }) as typeof server.connect;
}

function noteOutcome(message: unknown): void {
  const scope = currentRequest();
  if (!scope || typeof message !== "object" || message === null || !("id" in message)) return;
  const response = message as {
    error?: { code?: unknown; message?: unknown };
    result?: { isError?: unknown };
  };
  if (response.error && typeof response.error.code === "number") {
    scope.errorType = String(response.error.code);
    if (typeof response.error.message === "string") scope.errorMessage = response.error.message;
  } else if (response.result?.isError === true) {
    scope.errorType = "tool_error";
  }
}
