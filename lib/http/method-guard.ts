import type http from "node:http";
import { frontDoorErrorBody } from "./front-door-error";

/**
 * Two answers Next.js gives before any route or proxy code runs, made to follow the API's rules:
 *
 * - TRACE, TRACK and CONNECT: Next.js cannot build a web Request for them (fetch forbids these
 *   methods) and answered a bare 500 with nothing in the log. They are refused here with a 405.
 * - A method a route does not export (PATCH on a GET-only route): Next.js answers 405 with an empty
 *   body. Under /api/ the body becomes the JSON error (a JSON-RPC error on the MCP endpoint).
 *
 * One of the front door's steps (lib/http/front-door.ts).
 */
const UNSERVABLE = new Set(["TRACE", "TRACK", "CONNECT"]);
const ALLOWED = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

/** Answers the request itself when it must; otherwise prepares the 405 body and lets Next.js serve it. */
export function guardMethod(request: http.IncomingMessage, response: http.ServerResponse): boolean {
  const path = (request.url ?? "/").split("?")[0] ?? "/";
  if (UNSERVABLE.has(request.method ?? "")) {
    request.resume();
    send(
      response,
      405,
      errorBody(path, `${request.method} is not supported; use one of ${ALLOWED}`),
      ALLOWED,
    );
    return true;
  }
  if (path.startsWith("/api/")) fillEmpty405(request, response, path);
  return false;
}

/**
 * Next.js writes its 405 as headers without a Content-Type and an empty (often chunked) body: the
 * JSON type is added when the headers go out, and the error is written when the body ends empty.
 */
function fillEmpty405(request: http.IncomingMessage, response: http.ServerResponse, path: string): void {
  let pending = false;
  const writeHead = response.writeHead as (...a: unknown[]) => http.ServerResponse;
  const write = response.write as (...a: unknown[]) => boolean;
  const end = response.end as (...a: unknown[]) => http.ServerResponse;
  response.writeHead = function (this: http.ServerResponse, ...args: unknown[]) {
    const headers = args.find((arg) => typeof arg === "object" && arg !== null) as
      | Record<string, unknown>
      | undefined;
    const typed =
      this.getHeader("content-type") ||
      Object.keys(headers ?? {}).some((h) => h.toLowerCase() === "content-type");
    if (args[0] === 405 && !typed) {
      pending = true;
      this.setHeader("Content-Type", "application/json");
      this.removeHeader("Content-Length");
    }
    return writeHead.apply(this, args);
  } as typeof response.writeHead;
  response.write = function (this: http.ServerResponse, ...args: unknown[]) {
    if ((args[0] as { length?: number } | undefined)?.length) pending = false;
    return write.apply(this, args);
  } as typeof response.write;
  response.end = function (this: http.ServerResponse, ...args: unknown[]) {
    const chunk = typeof args[0] === "function" ? undefined : args[0];
    const empty = !(chunk as { length?: number } | undefined)?.length;
    if (!this.headersSent && this.statusCode === 405 && !this.getHeader("content-type")) this.writeHead(405);
    if (pending && empty) {
      pending = false;
      const allow = String(this.getHeader("allow") ?? "");
      return end.call(
        this,
        errorBody(path, `${request.method} is not allowed here${allow ? `; use ${allow}` : ""}`),
      );
    }
    return end.apply(this, args);
  } as typeof response.end;
}

function errorBody(path: string, message: string): string {
  return frontDoorErrorBody(path, "method_not_allowed", message);
}

function send(response: http.ServerResponse, status: number, body: string, allow: string): void {
  response.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
    Allow: allow,
    Connection: "close",
  });
  response.end(body);
}
