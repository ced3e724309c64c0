// POST/GET/DELETE /api/mcp - the MCP endpoint: the tools of the caller's active groups (also at /mcp)
import { handleMcpRequest } from "@/lib/mcp/http-handler";

export const dynamic = "force-dynamic";

const handle = (request: Request) => handleMcpRequest(request);

export { handle as DELETE, handle as GET, handle as POST };
