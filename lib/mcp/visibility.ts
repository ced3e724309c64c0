import { and, eq } from "drizzle-orm";
import { broadcast, onClusterEvent } from "@/lib/cluster/bus";
import { getDb } from "@/lib/db";
import { groupMembers, groupServers, groups, type Server, servers } from "@/lib/db/schema";
import { processWide } from "@/lib/process-wide";

/** A server a person may use, with the tools their groups expose (null: all of them). */
export type VisibleServer = { server: Server; tools: Set<string> | null };

/** Which groups a request covers: the person's active groups, or one named group they belong to. */
export type Scope = { kind: "active" } | { kind: "group"; name: string };

const TTL_MS = 1_000;
type Entry = { at: number; value: Promise<VisibleServer[] | null> };
const cache = processWide<Map<string, Entry>>("visibilityCache", () => new Map());

/**
 * The enabled servers a person sees through one endpoint, merged over their groups (the union of
 * the groups' tool choices). Returns null when a named group does not exist or the person is not
 * a member, so the caller can answer exactly as for a group that does not exist. Cached for one
 * second per person and scope, so membership and configuration changes count within a second.
 */
export function getVisibleServers(userId: string, scope: Scope): Promise<VisibleServer[] | null> {
  const key = `${userId}\u0000${scope.kind === "group" ? scope.name : ""}`;
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && now - hit.at < TTL_MS) return hit.value;
  const value = loadVisibleServers(userId, scope);
  cache.set(key, { at: now, value });
  value.catch(() => cache.delete(key));
  if (cache.size > 5_000) cache.delete(cache.keys().next().value as string);
  return value;
}

/** Forgets cached visibility after a configuration or membership change, here and on every other instance. */
export function forgetVisibility(): void {
  broadcast({ kind: "visibility-changed" });
}

onClusterEvent("visibility-changed", () => cache.clear());
onClusterEvent("resync", () => cache.clear());

async function loadVisibleServers(userId: string, scope: Scope): Promise<VisibleServer[] | null> {
  const db = await getDb();
  // One query: each group the person is in (active ones, or the named one), with its enabled
  // servers. A group without any still yields a row (server null), so membership is known.
  const rows = await db
    .select({ server: servers, tools: groupServers.tools })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .leftJoin(groupServers, eq(groupServers.groupId, groups.id))
    .leftJoin(servers, and(eq(servers.id, groupServers.serverId), eq(servers.enabled, true)))
    .where(
      and(
        eq(groupMembers.userId, userId),
        scope.kind === "active" ? eq(groupMembers.active, true) : eq(groups.name, scope.name),
      ),
    );
  if (rows.length === 0) return scope.kind === "group" ? null : [];
  const byServer = new Map<string, VisibleServer>();
  for (const row of rows) {
    if (!row.server) continue;
    const seen = byServer.get(row.server.id);
    const tools = row.tools ? new Set(row.tools) : null;
    if (!seen) byServer.set(row.server.id, { server: row.server, tools });
    else if (seen.tools && tools) for (const t of tools) seen.tools.add(t);
    else seen.tools = null;
  }
  // A stable order: by server name, so every client sees the same list in the same order.
  return [...byServer.values()].sort((a, b) => a.server.name.localeCompare(b.server.name));
}
