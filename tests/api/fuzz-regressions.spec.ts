import { readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { ARTIFACTS_DIR, HUB_PORT, HUB_URL } from "../support/env";
import { MCP_ACCEPT, mcpRaw, personWithEverything, rpc } from "../support/mcp";

/*
 * One test per bug the fuzz suite (tests/api/fuzz.spec.ts) found, each sending the input that
 * broke the hub and checking the exact answer it gives now.
 */

/** A raw request: fetch() refuses TRACE, so node:http sends it. */
function raw(method: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
    const request = http.request({ host: "127.0.0.1", port: HUB_PORT, method, path, headers }, (response) => {
      let body = "";
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, type: String(response.headers["content-type"]), body }),
      );
    });
    request.on("error", reject);
    request.end();
  });
}

test("TRACE anywhere is 405 with a JSON error (Next.js answered a bare 500 with nothing logged)", async () => {
  const mcp = await raw("TRACE", "/api/mcp");
  expect(mcp.status).toBe(405);
  expect(mcp.type).toBe("application/json");
  expect(JSON.parse(mcp.body)).toEqual({
    jsonrpc: "2.0",
    id: null,
    error: {
      code: -32600,
      message: "TRACE is not supported; use one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS",
    },
  });
  for (const path of ["/api/v1/me", "/api/v1/users?key=x", "/login"]) {
    const answer = await raw("TRACE", path);
    expect(answer.status).toBe(405);
    expect(JSON.parse(answer.body)).toEqual({
      error: {
        code: "method_not_allowed",
        message: "TRACE is not supported; use one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS",
      },
    });
  }
});

test("a method a route does not serve is 405 with the JSON error shape (Next.js sent an empty body)", async () => {
  const rest = await fetch(`${HUB_URL}/api/v1/settings/import`, { method: "PATCH" });
  expect(rest.status).toBe(405);
  expect(rest.headers.get("content-type")).toBe("application/json");
  expect(await rest.json()).toEqual({
    error: { code: "method_not_allowed", message: "PATCH is not allowed here" },
  });
  const mcp = await fetch(`${HUB_URL}/api/mcp`, { method: "PUT", headers: { Accept: MCP_ACCEPT } });
  expect(mcp.status).toBe(405);
  expect(await mcp.json()).toEqual({
    jsonrpc: "2.0",
    id: null,
    error: { code: -32600, message: "PUT is not allowed here" },
  });
});

test("/api/mcp/{group} with a NUL byte in the name is the unknown-group 404 (it was a database error, 500)", async () => {
  const { person } = await personWithEverything("nul");
  for (const group of ["%00", "a%00b", "..%2fother"]) {
    const answer = await mcpRaw(`/api/mcp/${group}`, rpc("tools/list"), { key: person.key });
    expect(answer.status).toBe(404);
    expect(answer.message.error.code).toBe(-32600);
    expect(answer.message.error.message).toMatch(/^You are not a member of a group named /);
  }
});

test("/api/mcp/%ff (broken percent-encoding) is 400, not a 500, under both paths", async () => {
  // An MCP request first: from then on the front door (lib/mcp/node-endpoint.ts) serves these
  // paths itself, not Next.js's proxy, and must answer alike.
  const { person } = await personWithEverything("percent");
  expect((await mcpRaw("/api/mcp", rpc("tools/list"), { key: person.key })).status).toBe(200);
  for (const path of ["/api/mcp/%ff", "/mcp/%ff", "/api/mcp/a%e0%80"]) {
    const answer = await raw("POST", path, { "Content-Type": "application/json" });
    expect(answer.status, path).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({
      error: { code: "bad_request", message: "The URL has broken percent-encoding" },
    });
  }
});

/** Bytes written as they are (node:http would refuse to send most of these) and the whole answer. */
function rawBytes(request: string) {
  return new Promise<{ status: number; head: string; body: string }>((resolve, reject) => {
    const socket = net.connect(HUB_PORT, "127.0.0.1");
    let answer = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk) => (answer += chunk));
    socket.on("error", reject);
    socket.on("close", () => {
      const split = answer.indexOf("\r\n\r\n");
      const head = answer.slice(0, split);
      resolve({ status: Number(head.split(" ")[1]), head, body: answer.slice(split + 4) });
    });
    socket.end(request);
  });
}

const HEADERS_TOO_LARGE =
  "The request line and headers are over the 16 KB this hub reads. Send the key in the Authorization " +
  "header rather than in ?key=, and leave out long query strings and large cookies (an operator can " +
  "raise the limit with NODE_OPTIONS=--max-http-header-size=<bytes>).";

test("headers over Node's 16 KB limit are 431 with a JSON error that says what to send (Node answered a bare 431)", async () => {
  const key = `mcphub_${"k".repeat(43)}`;
  const longPath = `/api/mcp/${"a".repeat(3_000)}`;
  const mcp = await rawBytes(
    `POST ${longPath} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
      `Authorization: Bearer ${key}${"x".repeat(16_000)}\r\nContent-Length: 2\r\n\r\n{}`,
  );
  expect(mcp.status).toBe(431);
  expect(mcp.head).toContain("Content-Type: application/json");
  expect(JSON.parse(mcp.body)).toEqual({
    jsonrpc: "2.0",
    id: null,
    error: { code: -32600, message: HEADERS_TOO_LARGE },
  });

  const rest = await rawBytes(
    `GET /api/v1/me?key=${key} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: c=${"y".repeat(20_000)}\r\n\r\n`,
  );
  expect(rest.status).toBe(431);
  expect(JSON.parse(rest.body)).toEqual({ error: { code: "headers_too_large", message: HEADERS_TOO_LARGE } });

  // The refusal is logged by path, without the query or the headers that held the key.
  await expect
    .poll(() =>
      hubLogText()
        .split("\n")
        .filter((line) => line.includes("the HTTP parser could not read")),
    )
    .toEqual(expect.arrayContaining([expect.stringContaining('"path":"/api/v1/me"')]));
  expect(hubLogText()).not.toContain(key);
  expect((await fetch(`${HUB_URL}/api/health`)).status).toBe(200);
});

test("a request that is not HTTP/1.1 is 400 with a JSON error naming the parser's reason (Node answered a bare 400)", async () => {
  const notHttp = await rawBytes("HELLO THERE\r\n\r\n");
  expect(notHttp.status).toBe(400);
  expect(JSON.parse(notHttp.body)).toEqual({
    error: {
      code: "bad_request",
      message: expect.stringMatching(
        /^The request is not valid HTTP\/1\.1 \(.+\); check the request line, headers and body framing the client sends\.$/,
      ),
    },
  });
  // A body framed two ways at once (request smuggling's shape) on the MCP endpoint: a JSON-RPC error.
  const smuggled = await rawBytes(
    "POST /api/mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
  );
  expect(smuggled.status).toBe(400);
  expect(JSON.parse(smuggled.body)).toMatchObject({ jsonrpc: "2.0", id: null, error: { code: -32600 } });
  const badHeader = await rawBytes("GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: x\r\n\r\n");
  expect(badHeader.status).toBe(400);
  expect(JSON.parse(badHeader.body).error.code).toBe("bad_request");
});

test("a chunk extension over Node's 16 KB limit is 413 with a JSON error (Node answered a bare 413)", async () => {
  const answer = await rawBytes(
    "POST /api/mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
      `Transfer-Encoding: chunked\r\n\r\n2;ext=${"x".repeat(17_000)}\r\n{}\r\n0\r\n\r\n`,
  );
  expect(answer.status).toBe(413);
  expect(JSON.parse(answer.body)).toEqual({
    jsonrpc: "2.0",
    id: null,
    error: {
      code: -32600,
      message:
        "The request body's chunks carry extensions over 16 KB; send the body without chunk extensions.",
    },
  });
  expect((await fetch(`${HUB_URL}/api/health`)).status).toBe(200);
});

function hubLogText(): string {
  return readFileSync(path.join(ARTIFACTS_DIR, "hub.log"), "utf8");
}
