import { eq } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { groupMembers, groupServers, servers } from "@/lib/db/schema";
import { credentialsNeeded } from "@/lib/upstream/needs";
import { GITHUB_CREDENTIAL, githubConnectConfigured } from "./github-connect";
import { type CredentialSource, listCredentials } from "./queries";

export type CredentialStatus = {
  name: string;
  linked: boolean;
  hint: string | null;
  source: CredentialSource | null;
  updatedAt: Date | null;
  usedBy: string[];
};

/**
 * Every credential a person's groups ask for, linked or not, with the servers that use it, plus
 * any they linked that nothing uses now. Never a value: at most its hint.
 */
export async function listCredentialStatus(userId: string): Promise<CredentialStatus[]> {
  const db = await getDb();
  const rows = await db
    .selectDistinct({ server: servers })
    .from(groupMembers)
    .innerJoin(groupServers, eq(groupServers.groupId, groupMembers.groupId))
    .innerJoin(servers, eq(servers.id, groupServers.serverId))
    .where(eq(groupMembers.userId, userId));
  const usedBy = new Map<string, string[]>();
  for (const { server } of rows) {
    if (server.isolation === "none") continue;
    for (const name of credentialsNeeded(server.config))
      usedBy.set(name, [...(usedBy.get(name) ?? []), server.name]);
  }
  const linked = new Map((await listCredentials(userId)).map((c) => [c.name, c]));
  const offered = githubConnectConfigured() ? [GITHUB_CREDENTIAL] : [];
  const names = [...new Set([...usedBy.keys(), ...linked.keys(), ...offered])].sort();
  return names.map((name) => {
    const saved = linked.get(name);
    return {
      name,
      linked: Boolean(saved),
      hint: saved?.hint ?? null,
      source: saved?.source ?? null,
      updatedAt: saved?.updatedAt ?? null,
      usedBy: (usedBy.get(name) ?? []).sort(),
    };
  });
}
