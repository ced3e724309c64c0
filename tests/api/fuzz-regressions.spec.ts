import http from "node:http";
import { expect, test } from "@playwright/test";
import { HUB_PORT, HUB_URL } from "../support/env";
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
