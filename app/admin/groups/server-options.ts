import { exposedTools } from "@/lib/servers/describe";
import { listServers } from "@/lib/servers/queries";
import type { ServerOption } from "./_components/group-form";

/** Every server as the group form offers it, with its last listed tools under their exposed names. */
export async function getServerOptions(): Promise<ServerOption[]> {
  const servers = await listServers();
  return servers.map((server) => ({
    name: server.name,
    type: server.type,
    enabled: server.enabled,
    riskLevel: server.riskLevel,
    description: server.description,
    tools: server.tools ? exposedTools(server, server.tools) : null,
  }));
}
