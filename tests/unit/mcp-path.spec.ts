import { expect, test } from "@playwright/test";
import { frontDoorErrorBody } from "@/lib/http/front-door-error";
import { isMcpPath, servedMcpGroupSegment } from "@/lib/mcp/path";

// Which paths the front door serves as the MCP endpoint, and which refusals it answers in the
// JSON-RPC shape an MCP client reads: both come from lib/mcp/path.ts.

test("the endpoint is served at /api/mcp and /mcp, for the whole person or one group", () => {
  expect(servedMcpGroupSegment("/api/mcp")).toBe("");
  expect(servedMcpGroupSegment("/mcp")).toBe("");
  expect(servedMcpGroupSegment("/api/mcp/eng")).toBe("eng");
  expect(servedMcpGroupSegment("/mcp/eng%2Dtools")).toBe("eng%2Dtools");
});

test("paths beside or below the endpoint are not served by it", () => {
  for (const path of ["/api/mcp/", "/api/mcp/a/b", "/api/mcpx", "/api/v1/me", "/mcp2", "/", "/x/mcp"])
    expect(servedMcpGroupSegment(path), path).toBeNull();
});

test("refusals at or below the endpoint are JSON-RPC errors, elsewhere the API's error object", () => {
  for (const path of ["/api/mcp", "/mcp", "/api/mcp/", "/api/mcp/eng", "/mcp/a/b"]) {
    expect(isMcpPath(path), path).toBe(true);
    expect(JSON.parse(frontDoorErrorBody(path, "method_not_allowed", "Use POST"))).toEqual({
      jsonrpc: "2.0",
      id: null,
      error: { code: -32600, message: "Use POST" },
    });
  }
  for (const path of ["/api/mcpx", "/mcp2", "/api/v1/me", "/", ""]) {
    expect(isMcpPath(path), path).toBe(false);
    expect(JSON.parse(frontDoorErrorBody(path, "method_not_allowed", "Use GET"))).toEqual({
      error: { code: "method_not_allowed", message: "Use GET" },
    });
  }
});
