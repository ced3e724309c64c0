import { processWide } from "@/lib/process-wide";

/** Serves one MCP request: the web Request, the group of /api/mcp/{group}, and its body on demand. */
export type McpEndpointHandler = (
  request: Request,
  groupName: string | undefined,
  readBody: () => Promise<string | null>,
) => Promise<Response>;

const slot = processWide("mcpEndpointHandler", () => ({
  handler: undefined as McpEndpointHandler | undefined,
}));

/**
 * Called by the MCP route modules as Next.js loads them. Next.js bundles instrumentation.ts apart
 * from the routes and pages, so a module imported by both exists twice in one process, and an error
 * class or a cache of one copy means nothing to the other. The front door therefore runs the very
 * handler the routes run, from their module graph, which the admin pages and the REST API share.
 * The last one offered wins, so `next dev` serves a reloaded route's code.
 */
export function offerMcpEndpointHandler(handler: McpEndpointHandler): void {
  slot.handler = handler;
}

/** The routes' handler, once Next.js has loaded one of them (the first MCP request does). */
export function mcpEndpointHandler(): McpEndpointHandler | undefined {
  return slot.handler;
}
