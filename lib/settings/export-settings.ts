import { listGroups } from "@/lib/groups/queries";
import { listServers } from "@/lib/servers/queries";
import { toServerInput } from "@/lib/servers/serialize";

/**
 * The hub's servers and groups as an `mcp_settings.json`. Server entries hold configuration and
 * templates only: people's credentials live in their own encrypted store and are never exported.
 */
export async function exportSettings() {
  const [servers, groups] = await Promise.all([listServers(), listGroups()]);
  return {
    mcpServers: Object.fromEntries(
      servers.map((server) => {
        const { name: _name, ...entry } = toServerInput(server);
        return [server.name, entry];
      }),
    ),
    groups: groups.map((group) => ({
      name: group.name,
      ...(group.description && { description: group.description }),
      visibility: group.visibility,
      servers: group.servers.map((s) => (s.tools ? { name: s.name, tools: s.tools } : s.name)),
    })),
  };
}
