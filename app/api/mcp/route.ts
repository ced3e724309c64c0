// POST/GET/DELETE /api/mcp - the MCP endpoint: the tools of the caller's active groups (also at /mcp)
import { offerMcpEndpointHandler } from "@/lib/mcp/endpoint-slot";
import { handleMcpRequest } from "@/lib/mcp/http-handler";

export const dynamic = "force-dynamic";

// From now on the front door (lib/mcp/node-endpoint.ts) serves MCP requests with this handler
// before Next.js's router; this route answers the ones that arrive first.
offerMcpEndpointHandler(handleMcpRequest);

const handle = (request: Request) => handleMcpRequest(request);

export { handle as DELETE, handle as GET, handle as POST };
