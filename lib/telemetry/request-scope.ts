import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { processWide } from "@/lib/process-wide";

/**
 * The MCP or REST request being served. Every log line written inside it carries its id (the pino
 * mixin in lib/logger.ts reads it), the response carries the id in `X-Request-Id`, and the trace
 * hooks (lib/telemetry/mcp-span.ts) keep the outcome here until the response has been sent.
 */
export type RequestScope = {
  requestId: string;
  /** The JSON-RPC method of an MCP request, once its body has been read. */
  mcpMethod?: string;
  /** The JSON-RPC error code the hub answered with, or "tool_error" for a tool result with isError. */
  errorType?: string;
  /** The JSON-RPC error message, for the span's status. */
  errorMessage?: string;
  /** The trace and span id of the MCP span, when tracing is on (log correlation). */
  traceId?: string;
  spanId?: string;
};

const storage = processWide("requestScope", () => new AsyncLocalStorage<RequestScope>());

export const REQUEST_ID_HEADER = "X-Request-Id";

/** The request being served, if any. */
export function currentRequest(): RequestScope | undefined {
  return storage.getStore();
}

/** Runs `fn` as one request with a fresh id; the hub never takes a client's id, so ids stay unique. */
export function runInRequestScope<T>(fn: (scope: RequestScope) => T): T {
  const scope: RequestScope = { requestId: randomUUID() };
  return storage.run(scope, () => fn(scope));
}

/** The fields the logger adds to every line written while a request is served. */
export function requestLogFields(): Record<string, string> {
  const scope = storage.getStore();
  if (!scope) return {};
  const fields: Record<string, string> = { requestId: scope.requestId };
  if (scope.mcpMethod) fields.mcpMethod = scope.mcpMethod;
  if (scope.traceId) fields.trace_id = scope.traceId;
  if (scope.spanId) fields.span_id = scope.spanId;
  return fields;
}

/**
 * The response with `X-Request-Id` set. Responses built by fetch() have immutable headers; those
 * are copied into a new Response around the same body stream.
 */
export function withRequestIdHeader(response: Response, requestId: string): Response {
  try {
    response.headers.set(REQUEST_ID_HEADER, requestId);
    return response;
  } catch {
    const headers = new Headers(response.headers);
    headers.set(REQUEST_ID_HEADER, requestId);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}

/**
 * Serves one HTTP request in a request scope: the answer carries X-Request-Id, and an exception is
 * logged with its cause and the id before `onError(requestId)` answers it, so no 500 goes unexplained.
 */
export async function serveInRequestScope(
  request: Request,
  serve: () => Promise<Response>,
  onError: (requestId: string, error: unknown) => Response,
): Promise<Response> {
  return runInRequestScope(async (scope) => {
    let response: Response;
    try {
      response = await serve();
    } catch (error) {
      const logger = await loadLogger();
      const { isDatabaseUnavailable } = await import("@/lib/db/unavailable");
      // An unreachable database is an outage the admin sees in the health check, not a bug: one
      // warning line per request, without the stack.
      if (isDatabaseUnavailable(error))
        logger.warn(
          {
            path: new URL(request.url).pathname,
            err: error instanceof Error ? error.message : String(error),
          },
          "the database is unreachable",
        );
      else
        logger.error(
          {
            path: new URL(request.url).pathname,
            err:
              error instanceof Error
                ? { name: error.name, message: error.message, stack: error.stack }
                : String(error),
          },
          "unexpected error while serving a request",
        );
      response = onError(scope.requestId, error);
    }
    await logAnswer(request, response, scope);
    return withRequestIdHeader(response, scope.requestId);
  });
}

/**
 * One line per answer: refusals and errors at info (what a person quoting an X-Request-Id is
 * looking for), successes at debug. The path is logged without its query, where a `?key=` may be.
 * A line the log level drops is not built at all: successes are every MCP call's path.
 */
async function logAnswer(request: Request, response: Response, scope: RequestScope): Promise<void> {
  const failed = response.status >= 400 || scope.errorType !== undefined;
  const level = response.status >= 500 ? "error" : failed ? "info" : "debug";
  const logger = await loadLogger();
  if (!logger.isLevelEnabled(level)) return;
  const fields = {
    method: request.method,
    path: new URL(request.url).pathname,
    status: response.status,
    ...(scope.errorType && { errorType: scope.errorType }),
  };
  logger[level](fields, ANSWER_MESSAGES[level]);
}

const ANSWER_MESSAGES = { error: "request failed", info: "request refused", debug: "request served" };

type Logger = typeof import("@/lib/logger")["logger"];
let logger: Logger | undefined;
/** The logger imports this module (for requestLogFields), so it is imported when first needed. */
async function loadLogger(): Promise<Logger> {
  logger ??= (await import("@/lib/logger")).logger;
  return logger;
}
