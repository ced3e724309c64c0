import { NextResponse } from "next/server";
import { auth } from "@/lib/auth/index";
import type { User } from "@/lib/db/schema";
import {
  DATABASE_RETRY_AFTER_SECONDS,
  DATABASE_UNAVAILABLE_MESSAGE,
  isDatabaseUnavailable,
} from "@/lib/db/unavailable";
import { AppError, type ErrorCode, type FieldErrors } from "@/lib/errors";
import { authenticateKey } from "@/lib/keys/authenticate";
import { logger } from "@/lib/logger";
import { currentRequest, serveInRequestScope } from "@/lib/telemetry/request-scope";
import { getUserById } from "@/lib/users/queries";
import { isJsonMediaType } from "./content-type";

export type Caller = { user: User; keyId?: string };

export function jsonError(
  code: ErrorCode,
  message: string,
  status: number,
  fields?: FieldErrors,
  headers?: HeadersInit,
) {
  return NextResponse.json({ error: { code, message, ...(fields && { fields }) } }, { status, headers });
}

/** Turns any error into the contract's `{error: {code, message}}`; unexpected ones are logged, not echoed. */
export function handleApiError(error: unknown, request?: Request): NextResponse {
  if (error instanceof AppError) return jsonError(error.code, error.message, error.status, error.fieldErrors);
  if (isDatabaseUnavailable(error)) {
    logger.warn(
      { path: request ? new URL(request.url).pathname : undefined, err: (error as Error).message },
      "the database is unreachable",
    );
    return databaseUnavailable();
  }
  // The request's own id (X-Request-Id), which every other line about it carries too.
  const requestId = currentRequest()?.requestId ?? crypto.randomUUID();
  logger.error(
    {
      requestId,
      path: request ? new URL(request.url).pathname : undefined,
      err:
        error instanceof Error
          ? { name: error.name, message: error.message, stack: error.stack }
          : String(error),
    },
    "unexpected error in an API route",
  );
  return jsonError(
    "internal",
    `Something went wrong on the server (request ${requestId}); the admin can find it in the log`,
    500,
  );
}

/** 503 with Retry-After: the same request may be sent again once the database is back. */
function databaseUnavailable() {
  return jsonError("unavailable", DATABASE_UNAVAILABLE_MESSAGE, 503, undefined, {
    "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS),
  });
}

/** Reads a JSON body of at most `maxBytes`; a bad body is a 400 that says what is wrong. */
export async function readJsonBody(request: Request, maxBytes = 1_000_000): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!isJsonMediaType(type)) {
    throw new AppError("bad_request", "Send the body as JSON with Content-Type: application/json");
  }
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBytes)
    throw new AppError("payload_too_large", `The body is larger than ${maxBytes} bytes`);
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "The body is not valid JSON");
  }
}

/** The token of `Authorization: Bearer <token>`: undefined without the header, "" when malformed. */
export function bearerToken(request: Request): string | undefined {
  const header = request.headers.get("authorization");
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match?.[1] ?? "";
}

/** The caller of an API route: an MCPHub key in `Authorization: Bearer`, or the portal's session. */
export async function authenticateRequest(request: Request): Promise<Caller | null> {
  const token = bearerToken(request);
  if (token !== undefined) {
    const principal = token ? await authenticateKey(token) : null;
    if (!principal) return null;
    const user = await getUserById(principal.userId);
    return user && !user.disabled ? { user, keyId: principal.keyId } : null;
  }
  const session = await auth();
  if (!session?.user?.id) return null;
  const user = await getUserById(session.user.id);
  return user && !user.disabled ? { user } : null;
}

type RouteContext<P> = { params: Promise<P> };
type Handler<P> = (request: Request, caller: Caller, params: P) => Promise<Response>;
type TokenHandler<P> = (request: Request, caller: Caller | null, params: P) => Promise<Response>;

const UNAUTHORIZED_MESSAGE =
  "Sign in, or send an MCPHub key as 'Authorization: Bearer mcphub_…' (create one at /account/keys)";

const unauthorized = (message = UNAUTHORIZED_MESSAGE) =>
  jsonError("unauthorized", message, 401, undefined, { "WWW-Authenticate": 'Bearer realm="mcphub"' });

type CallerOptions = { role?: "admin" };
type TokenOptions = {
  role: "admin";
  /**
   * A machine's bearer token that is not an MCPHub key (the Prometheus scrape token): when it
   * matches, the handler runs with no caller. It must compare in constant time.
   */
  orToken: (request: Request) => boolean;
  /** Replaces the 401 and 403 messages, to name what this route accepts. */
  messages?: { unauthorized?: string; forbidden?: string };
};

/**
 * Wraps a route handler: authenticates the caller, checks the role on the server, and maps errors.
 * `role: "admin"` answers 401 to anonymous callers and 403 to everyone but admins.
 */
export function withCaller<P = Record<string, never>>(
  handler: Handler<P>,
  options?: CallerOptions,
): (request: Request, context: RouteContext<P>) => Promise<Response>;
export function withCaller<P = Record<string, never>>(
  handler: TokenHandler<P>,
  options: TokenOptions,
): (request: Request, context: RouteContext<P>) => Promise<Response>;
export function withCaller<P = Record<string, never>>(
  handler: Handler<P> | TokenHandler<P>,
  options: CallerOptions | TokenOptions = {},
) {
  const token = "orToken" in options ? options : undefined;
  // Only a TokenOptions route can reach the handler without a caller, and its handler accepts null.
  const run = handler as TokenHandler<P>;
  return (request: Request, context: RouteContext<P>): Promise<Response> =>
    serveInRequestScope(
      request,
      async () => {
        try {
          if (token?.orToken(request)) return await run(request, null, await context.params);
          const caller = await authenticateRequest(request);
          if (!caller) return unauthorized(token?.messages?.unauthorized);
          if (options.role === "admin" && caller.user.role !== "admin") {
            return jsonError("forbidden", token?.messages?.forbidden ?? "This route is for admins only", 403);
          }
          return await run(request, caller, await context.params);
        } catch (error) {
          return handleApiError(error, request);
        }
      },
      (requestId, error) =>
        isDatabaseUnavailable(error)
          ? databaseUnavailable()
          : jsonError(
              "internal",
              `Something went wrong on the server (request ${requestId}); the admin can find it in the log`,
              500,
            ),
    );
}
