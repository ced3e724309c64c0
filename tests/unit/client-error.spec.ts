import http from "node:http";
import net from "node:net";
import { expect, test } from "@playwright/test";
import { answerClientError } from "@/lib/http/client-error";

// What the hub writes on a connection whose request Node's parser refused, for the refusals a
// request over a socket cannot bring about quickly (a request that arrives too slowly is cut off
// after Node's 60 s headersTimeout) and for a client that is already gone.

/** A connected socket pair: the hub's side and what the client receives until the hub closes. */
async function connection() {
  const server = net.createServer();
  const accepted = new Promise<net.Socket>((resolve) => server.once("connection", resolve));
  server.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const client = net.connect((server.address() as net.AddressInfo).port, "127.0.0.1");
  const hubSide = await accepted;
  let received = "";
  client.on("data", (chunk) => (received += chunk));
  const closed = new Promise<string>((resolve) => client.once("close", () => resolve(received)));
  client.on("error", () => {});
  return { hubSide, closed, stop: () => server.close() };
}

function parserError(code: string, rawPacket?: string) {
  return Object.assign(new Error(code), { code, ...(rawPacket && { rawPacket: Buffer.from(rawPacket) }) });
}

test("a request that did not arrive in time is answered 408 with the JSON error, and the connection closed", async () => {
  const { hubSide, closed, stop } = await connection();
  answerClientError(new http.Server(), parserError("ERR_HTTP_REQUEST_TIMEOUT"), hubSide);
  const answer = await closed;
  stop();
  expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  expect(answer).toContain("Connection: close");
  expect(JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4))).toEqual({
    error: {
      code: "request_timeout",
      message: "The request did not arrive in full in time; send its headers and body without pausing.",
    },
  });
});

test("on the MCP endpoint (read from the request line) the same refusal is a JSON-RPC error", async () => {
  const { hubSide, closed, stop } = await connection();
  answerClientError(
    new http.Server(),
    parserError("ERR_HTTP_REQUEST_TIMEOUT", "POST /mcp/team?key=secret HTTP/1.1\r\nHost: x\r\n"),
    hubSide,
  );
  const answer = await closed;
  stop();
  expect(JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4))).toMatchObject({
    jsonrpc: "2.0",
    id: null,
    error: { code: -32600 },
  });
});

test("a client that reset the connection gets nothing written: the socket is only closed", async () => {
  const { hubSide, closed, stop } = await connection();
  answerClientError(new http.Server(), parserError("ECONNRESET"), hubSide);
  expect(await closed).toBe("");
  expect(hubSide.destroyed).toBe(true);
  stop();
});

test("the limit named in a 431 is the server's own when it set one", async () => {
  const { hubSide, closed, stop } = await connection();
  const server = new http.Server({ maxHeaderSize: 32 * 1024 });
  answerClientError(server, parserError("HPE_HEADER_OVERFLOW", "GET /api/v1/me HTTP/1.1\r\n"), hubSide);
  const answer = await closed;
  stop();
  expect(answer).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
  expect(JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4)).error.message).toMatch(
    /^The request line and headers are over the 32 KB this hub reads\./,
  );
});
