import http from "node:http";
import type { Duplex } from "node:stream";
import { logger } from "@/lib/logger";
import { frontDoorErrorBody } from "./front-door-error";

/**
 * Requests Node's HTTP parser refuses before any route sees them: headers over its size limit, a
 * request line or header that is not HTTP/1.1, a body framed wrongly, a request that did not arrive
 * in time. Node answers these with a bare status and no body; here they get the JSON error every
 * other refusal has (a JSON-RPC error on the MCP endpoint), with what to change, and one info line
 * in the log. The raw bytes are never logged: they may hold a key.
 *
 * One of the front door's parts (lib/http/front-door.ts).
 */
type ParserError = Error & { code?: string; reason?: string; rawPacket?: Buffer };
type Refusal = { status: number; code: string; message: string };

/** Bytes of the packet searched for the request line (the path decides the error's shape). */
const REQUEST_LINE_SEARCH = 64 * 1024;
/** A client that does not read the answer is not waited for longer than this. */
const FLUSH_TIMEOUT_MS = 5_000;

export function answerClientError(server: http.Server, error: ParserError, socket: Duplex): void {
  // The client hung up or the socket is already unusable: there is nobody to answer.
  if (error.code === "ECONNRESET" || error.code === "EPIPE" || !socket.writable) {
    socket.destroy();
    return;
  }
  // An answer already started on this connection cannot be followed by another one.
  const inFlight = (socket as Duplex & { _httpMessage?: http.ServerResponse })._httpMessage;
  if (inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const path = requestPath(error.rawPacket);
  const refusal = refusalFor(error, server);
  logger.info(
    { status: refusal.status, parserError: error.code, path: path?.slice(0, 200) },
    "refused a request the HTTP parser could not read",
  );
  const body = frontDoorErrorBody(path ?? "", refusal.code, refusal.message);
  const head = [
    `HTTP/1.1 ${refusal.status} ${http.STATUS_CODES[refusal.status]}`,
    "Content-Type: application/json",
    `Content-Length: ${Buffer.byteLength(body)}`,
    "Connection: close",
  ].join("\r\n");
  const timer = setTimeout(() => socket.destroy(), FLUSH_TIMEOUT_MS);
  timer.unref();
  // Closed once written, like Node's own answer, so the rest of the request is not read.
  socket.end(`${head}\r\n\r\n${body}`, () => {
    clearTimeout(timer);
    socket.destroy();
  });
}

function refusalFor(error: ParserError, server: http.Server): Refusal {
  switch (error.code) {
    case "HPE_HEADER_OVERFLOW": {
      const ownLimit = (server as http.Server & { maxHeaderSize?: number }).maxHeaderSize;
      const limitKb = Math.round((ownLimit ?? http.maxHeaderSize) / 1024);
      return {
        status: 431,
        code: "headers_too_large",
        message:
          `The request line and headers are over the ${limitKb} KB this hub reads. Send the key in the ` +
          "Authorization header rather than in ?key=, and leave out long query strings and large cookies " +
          "(an operator can raise the limit with NODE_OPTIONS=--max-http-header-size=<bytes>).",
      };
    }
    case "HPE_CHUNK_EXTENSIONS_OVERFLOW":
      return {
        status: 413,
        code: "payload_too_large",
        message:
          "The request body's chunks carry extensions over 16 KB; send the body without chunk extensions.",
      };
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return {
        status: 408,
        code: "request_timeout",
        message: "The request did not arrive in full in time; send its headers and body without pausing.",
      };
    default:
      return {
        status: 400,
        code: "bad_request",
        message: `The request is not valid HTTP/1.1 (${error.reason ?? error.code ?? "unreadable"}); check the request line, headers and body framing the client sends.`,
      };
  }
}

/** The path of the request line at the start of the packet, when there is one. */
function requestPath(packet: Buffer | undefined): string | undefined {
  if (!packet) return undefined;
  const start = packet.subarray(0, REQUEST_LINE_SEARCH).toString("latin1");
  const end = start.indexOf("\r\n");
  if (end < 0) return undefined;
  const match = /^[A-Za-z]+ (\/\S*) HTTP\/1\.[01]$/.exec(start.slice(0, end));
  return match?.[1]?.split("?")[0];
}
