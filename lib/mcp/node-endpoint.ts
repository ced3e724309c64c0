import type { IncomingMessage, ServerResponse } from "node:http";
import { getPublicUrl } from "@/lib/config/env";
import { logger } from "@/lib/logger";
import { type McpEndpointHandler, mcpEndpointHandler } from "./endpoint-slot";
import { bodyCutShort, MAX_BODY_BYTES } from "./limits";
import { servedMcpGroupSegment } from "./path";

const SERVED_METHODS = new Set(["GET", "POST", "DELETE"]);

/**
 * Serves the MCP endpoint straight from Node's HTTP server, ahead of Next.js's router. Every MCP
 * call pays Next.js's request pipeline otherwise (routing, rewrites, the proxy, a web Request built
 * from the Node request and a web stream piped back, response compression): about 1.5 ms of CPU of
 * the 2.3 ms a session `ping` cost on two cores (docs/decisions/0013-mcp-front-door.md). The
 * handler is the one the route files offer (lib/mcp/endpoint-slot.ts), so both paths answer alike.
 *
 * Returns false for anything it does not serve (other paths, HEAD, OPTIONS, other methods), and for
 * every request until Next.js has loaded an MCP route: Next.js answers those as before.
 */
export function serveMcpFromNode(request: IncomingMessage, response: ServerResponse): boolean {
  const handler = mcpEndpointHandler();
  if (!handler) return false;
  const url = request.url ?? "/";
  const query = url.indexOf("?");
  const segment = servedMcpGroupSegment(query === -1 ? url : url.slice(0, query));
  if (segment === null || !SERVED_METHODS.has(request.method ?? "")) return false;
  let group: string | undefined;
  try {
    group = segment === "" ? undefined : decodeURIComponent(segment);
  } catch {
    // The answer proxy.ts gives every other path with broken percent-encoding.
    sendJson(response, 400, {
      error: { code: "bad_request", message: "The URL has broken percent-encoding" },
    });
    request.resume();
    return true;
  }
  serve(handler, request, response, url, group).catch((error: unknown) => {
    logger.error({ err: error instanceof Error ? error.message : String(error) }, "MCP response failed");
    if (!response.headersSent)
      sendJson(response, 500, {
        jsonrpc: "2.0",
        id: null,
        error: { code: -32603, message: "Internal error: the admin can find its cause in the hub's log" },
      });
    else response.destroy();
  });
  return true;
}

async function serve(
  handler: McpEndpointHandler,
  request: IncomingMessage,
  response: ServerResponse,
  url: string,
  group: string | undefined,
): Promise<void> {
  // Aborted when the client goes away before the answer is complete: the SDK cancels the work
  // (and the upstream call) the request started, as with Next.js's request signal.
  const disconnected = new AbortController();
  response.once("close", () => {
    if (!response.writableFinished) disconnected.abort();
  });
  const headers = new Headers();
  const raw = request.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  // Only the path and query of the request line are used: the Host header is checked by the handler,
  // never trusted to build a URL.
  const webRequest = new Request(new URL(url, getPublicUrl()), {
    method: request.method,
    headers,
    signal: disconnected.signal,
  });
  const answer = await handler(webRequest, group, () => readBody(request, MAX_BODY_BYTES));
  await send(answer, response, disconnected.signal);
}

/** The body as text, or null as soon as it passes `limit` bytes (the rest is not buffered). */
function readBody(request: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.off("data", onData);
        request.resume();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    request.on("data", onData);
    request.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    // Node reports a hang-up as an "aborted" (ECONNRESET) error, then a close: either way the
    // client's connection failed, which must not read as the hub's fault (or as a database outage).
    request.once("error", () => reject(bodyCutShort()));
    request.once("close", () => {
      if (!request.complete) reject(bodyCutShort());
    });
  });
}

/** Writes a web Response: JSON in one piece, an event stream chunk by chunk as it is produced. */
async function send(answer: Response, response: ServerResponse, disconnected: AbortSignal): Promise<void> {
  response.statusCode = answer.status;
  answer.headers.forEach((value, name) => {
    response.setHeader(name, value);
  });
  if (!answer.body) {
    response.end();
    return;
  }
  if (!answer.headers.get("content-type")?.startsWith("text/event-stream")) {
    response.end(Buffer.from(await answer.arrayBuffer()));
    return;
  }
  const reader = answer.body.getReader();
  const stop = () => void reader.cancel().catch(() => {});
  disconnected.addEventListener("abort", stop, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      // Held until the next tick: when the stream ends at once (a result and nothing after it, the
      // usual answer to a POST) the headers, the event and the end leave in one write.
      response.cork();
      const written = response.write(value);
      process.nextTick(() => response.uncork());
      if (!written) await waitForDrain(response);
    }
    response.end();
  } finally {
    disconnected.removeEventListener("abort", stop);
  }
}

function waitForDrain(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off("drain", done);
      response.off("close", done);
      resolve();
    };
    response.once("drain", done);
    response.once("close", done);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
  });
  response.end(text);
}
