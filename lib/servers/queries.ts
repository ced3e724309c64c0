import { asc, eq, inArray } from "drizzle-orm";
import { type Actor, describeChanges, pickSafe, recordAdminEvent } from "@/lib/audit/admin-events";
import { builtinToolSnapshot } from "@/lib/builtin";
import { getDb } from "@/lib/db";
import { groupServers, groups, type Server, servers, type ToolSnapshot } from "@/lib/db/schema";
import { storableJson, storableText } from "@/lib/db/storable";
import { AppError, parseInput } from "@/lib/errors";
import { forgetVisibility } from "@/lib/mcp/visibility";
import { processWide } from "@/lib/process-wide";
import { type ServerInput, serverInputSchema, serverNameSchema } from "./schemas";
import { toServerInput } from "./serialize";
import { type ValidatedServer, validateServer } from "./validate";

export type ServerWithUsage = Server & { groupNames: string[] };

/** `record: false` when the caller writes its own trail entry (an import records one for the file). */
export type TrailOption = { record?: boolean };

/**
 * Fields whose values the admin trail may copy. The rest (command, args, env, url, headers) are
 * only named: an admin may have typed a literal secret into any of them.
 */
const SAFE_SERVER_FIELDS = [
  "name",
  "type",
  "isolation",
  "riskLevel",
  "enabled",
  "toolPrefix",
  "builtin",
] as const;

/** Defining servers (and so stdio commands the hub will run) is for admins only, whoever calls. */
function assertAdmin(actor: Actor) {
  if (actor.role !== "admin") throw new AppError("forbidden", "Only admins can define or change servers");
}

export async function listServers(): Promise<ServerWithUsage[]> {
  const db = await getDb();
  const rows = await db.select().from(servers).orderBy(asc(servers.name));
  const usage = await db
    .select({ serverId: groupServers.serverId, groupName: groups.name })
    .from(groupServers)
    .innerJoin(groups, eq(groups.id, groupServers.groupId));
  return rows.map((server) => ({
    ...server,
    groupNames: usage
      .filter((u) => u.serverId === server.id)
      .map((u) => u.groupName)
      .sort(),
  }));
}

export async function getServerByName(name: string): Promise<Server | undefined> {
  const db = await getDb();
  const [row] = await db.select().from(servers).where(eq(servers.name, name)).limit(1);
  return row;
}

export async function getServerByNameOrThrow(name: string): Promise<Server> {
  const server = await getServerByName(name);
  if (!server) throw new AppError("not_found", `No server named ${name}`);
  return server;
}

export async function getServersByIds(ids: string[]): Promise<Server[]> {
  if (ids.length === 0) return [];
  const db = await getDb();
  return db.select().from(servers).where(inArray(servers.id, ids));
}

/** Validates a submitted configuration fully (zod, templates, isolation rules). */
export function checkServerInput(input: unknown): ValidatedServer {
  return validateServer(parseInput(serverInputSchema, input));
}

function rowValues(validated: ValidatedServer) {
  const { input } = validated;
  return {
    name: input.name,
    description: input.description ?? null,
    type: input.type,
    config: validated.config,
    enabled: input.enabled,
    isolation: validated.isolation,
    riskLevel: input.riskLevel,
    toolPrefix: input.toolPrefix ?? null,
  };
}

/**
 * A built-in server's tools are known without anyone's token: recorded when it is saved, so group
 * tool choices and the catalog (for people who have not linked the credential) have them at once.
 */
async function builtinTools(validated: ValidatedServer) {
  if (validated.config.type !== "builtin") return {};
  return { tools: await builtinToolSnapshot(validated.config.builtin), toolsListedAt: new Date() };
}

export async function createServer(
  actor: Actor,
  input: unknown,
  { record = true }: TrailOption = {},
): Promise<{ server: Server; warnings: string[] }> {
  assertAdmin(actor);
  const validated = checkServerInput(input);
  const db = await getDb();
  const [server] = await db
    .insert(servers)
    .values({ ...rowValues(validated), ...(await builtinTools(validated)) })
    .onConflictDoNothing({ target: servers.name })
    .returning();
  if (!server) {
    throw new AppError("conflict", `A server named ${validated.input.name} already exists`, {
      name: ["This name is taken"],
    });
  }
  if (record)
    await recordAdminEvent(actor, {
      action: "server.create",
      targetType: "server",
      targetId: server.id,
      targetName: server.name,
      details: pickSafe(toServerInput(server), SAFE_SERVER_FIELDS),
    });
  return { server, warnings: validated.warnings };
}

/**
 * Changes a server. `patch` holds only the fields to change (REST PATCH); the merged configuration
 * is validated as a whole, and every change bumps `configVersion` so per-person connections restart.
 */
export async function updateServer(
  actor: Actor,
  name: string,
  patch: Partial<ServerInput> | Record<string, unknown>,
  { record = true }: TrailOption = {},
): Promise<{ server: Server; warnings: string[] }> {
  assertAdmin(actor);
  const current = await getServerByNameOrThrow(name);
  const merged = { ...toServerInput(current), ...patch } as Record<string, unknown>;
  if ("type" in patch && patch.type !== current.type) {
    // Fields of the old type do not carry over to a new one.
    for (const key of ["command", "args", "env", "url", "headers", "builtin"])
      if (!(key in patch)) delete merged[key];
  }
  const validated = checkServerInput(merged);
  const db = await getDb();
  if (validated.input.name !== name && (await getServerByName(validated.input.name))) {
    throw new AppError("conflict", `A server named ${validated.input.name} already exists`, {
      name: ["This name is taken"],
    });
  }
  const [server] = await db
    .update(servers)
    .set({
      ...rowValues(validated),
      ...(await builtinTools(validated)),
      configVersion: current.configVersion + 1,
      updatedAt: new Date(),
    })
    .where(eq(servers.id, current.id))
    .returning();
  if (!server) throw new AppError("not_found", `No server named ${name}`);
  forgetVisibility();
  if (record) {
    const details = describeChanges(toServerInput(current), toServerInput(server), SAFE_SERVER_FIELDS);
    // Switching a server on or off is its own verb, whether from the list's toggle or a PATCH.
    const toggled = details.changed.length === 1 && details.changed[0] === "enabled";
    await recordAdminEvent(actor, {
      action: toggled ? (server.enabled ? "server.enable" : "server.disable") : "server.update",
      targetType: "server",
      targetId: server.id,
      targetName: server.name,
      details,
    });
  }
  return { server, warnings: validated.warnings };
}

export async function setServerEnabled(actor: Actor, name: string, enabled: boolean): Promise<Server> {
  return (await updateServer(actor, name, { enabled })).server;
}

/** Deletes a server; refused while a group uses it, naming the groups. */
export async function deleteServer(actor: Actor, name: string): Promise<void> {
  assertAdmin(actor);
  const server = await getServerByNameOrThrow(name);
  const db = await getDb();
  const using = await db
    .select({ name: groups.name })
    .from(groupServers)
    .innerJoin(groups, eq(groups.id, groupServers.groupId))
    .where(eq(groupServers.serverId, server.id));
  if (using.length > 0) {
    const names = using.map((g) => g.name).sort();
    throw new AppError(
      "conflict",
      `${name} is used by the group${names.length > 1 ? "s" : ""} ${names.join(", ")}: remove it from ${names.length > 1 ? "them" : "it"} first`,
    );
  }
  await db.delete(servers).where(eq(servers.id, server.id));
  forgetVisibility();
  await recordAdminEvent(actor, {
    action: "server.delete",
    targetType: "server",
    targetId: server.id,
    targetName: server.name,
  });
}

/**
 * The tool snapshot this process last wrote for each server, and when. With per-person connections
 * every person's first list is the same list: a burst of 100 new people wrote the same row 200
 * times (2.3 ms each on PGlite, in the hub's thread). recordToolSnapshot writes an identical list
 * again only after SNAPSHOT_REWRITE_MS (the admin's "listed at" lags by at most that); any error
 * recorded here in between makes the next list write.
 */
const SNAPSHOT_REWRITE_MS = 30_000;
const writtenSnapshots = processWide(
  "writtenToolSnapshots",
  () => new Map<string, { json: string; at: number }>(),
);

/**
 * A list an upstream answered over a connection that negotiated `protocolVersion`, written unless
 * this process wrote the very same one moments ago.
 */
export async function recordToolSnapshot(
  serverId: string,
  tools: ToolSnapshot[],
  protocolVersion: string | undefined,
): Promise<void> {
  const json = JSON.stringify([protocolVersion, tools]);
  const last = writtenSnapshots.get(serverId);
  if (last && last.json === json && Date.now() - last.at < SNAPSHOT_REWRITE_MS) return;
  await recordServerStatus(serverId, { tools, protocolVersion });
  writtenSnapshots.set(serverId, { json, at: Date.now() });
}

/**
 * Remembers what the upstream listed and the revision its connection negotiated (or why it
 * failed), for the admin list and collision checks.
 */
export async function recordServerStatus(
  serverId: string,
  status: { tools: ToolSnapshot[]; protocolVersion: string | undefined } | { error: string },
): Promise<void> {
  writtenSnapshots.delete(serverId);
  const db = await getDb();
  const now = new Date();
  await db
    .update(servers)
    .set(
      "tools" in status
        ? {
            // Upstream text: a NUL in a name or schema would make PostgreSQL refuse the write.
            tools: storableJson(status.tools),
            toolsListedAt: now,
            protocolVersion: status.protocolVersion ?? null,
            lastError: null,
            lastErrorAt: null,
          }
        : { lastError: storableText(status.error.slice(0, 2_000)), lastErrorAt: now },
    )
    .where(eq(servers.id, serverId));
}

export { serverNameSchema };
