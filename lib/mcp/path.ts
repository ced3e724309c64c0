/**
 * The MCP endpoint's paths: /api/mcp, /api/mcp/{group}, and the same under /mcp (the paths
 * MCPHub's clients were set up with). The one place that knows them.
 */
const ENDPOINT = "^/(?:api/)?mcp";
const SERVED = new RegExp(`${ENDPOINT}(?:/([^/]+))?$`);
const AT_OR_BELOW = new RegExp(`${ENDPOINT}(?:/|$)`);

/**
 * For a path the endpoint serves (without its query): the raw, still percent-encoded group
 * segment, or "" for the person's whole endpoint. null for every other path.
 */
export function servedMcpGroupSegment(path: string): string | null {
  const match = SERVED.exec(path);
  return match ? (match[1] ?? "") : null;
}

/**
 * Whether a path is the endpoint or below it, served or not (/api/mcp/, /mcp/a/b): refusals there
 * are answered as JSON-RPC errors, since the client asking is an MCP client.
 */
export function isMcpPath(path: string): boolean {
  return AT_OR_BELOW.test(path);
}
