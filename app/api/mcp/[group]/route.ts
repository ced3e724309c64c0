// POST/GET/DELETE /api/mcp/{group} - the MCP endpoint for one group the caller belongs to (also at /mcp/{group})
import { offerMcpEndpointHandler } from "@/lib/mcp/endpoint-slot";
import { handleMcpRequest } from "@/lib/mcp/http-handler";

export const dynamic = "force-dynamic";

// See app/api/mcp/route.ts: the front door serves with this handler from now on.
offerMcpEndpointHandler(handleMcpRequest);

const handle = async (request: Request, { params }: { params: Promise<{ group: string }> }) =>
  handleMcpRequest(request, (await params).group);

export { handle as DELETE, handle as GET, handle as POST };
