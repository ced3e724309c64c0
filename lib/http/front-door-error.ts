import { isMcpPath } from "@/lib/mcp/path";

/**
 * The body of an error the front door answers itself, before any route runs: a JSON-RPC error on
 * the MCP endpoint (what an MCP client reads), the API's `{"error": {code, message}}` elsewhere.
 */
export function frontDoorErrorBody(path: string, restCode: string, message: string): string {
  return JSON.stringify(
    isMcpPath(path)
      ? { jsonrpc: "2.0", id: null, error: { code: -32600, message } }
      : { error: { code: restCode, message } },
  );
}
