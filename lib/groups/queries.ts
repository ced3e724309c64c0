import { and, asc, eq, inArray } from "drizzle-orm";
import type { z } from "zod";
import { type Actor, describeChanges, recordAdminEvent } from "@/lib/audit/admin-events";
import { getDb } from "@/lib/db";
import { type Group, groupMembers, groupServers, groups, type Server, servers } from "@/lib/db/schema";
import { AppError, type FieldErrors, parseInput } from "@/lib/errors";
import { exposedToolName, findCollisions, serverPrefix } from "@/lib/mcp/names";
import { forgetVisibility } from "@/lib/mcp/visibility";
import { getUserById, isUuid } from "@/lib/users/queries";
import { groupInputSchema } from "./schemas";

export type GroupDetail = Group & {
  servers: Array<{
    name: string;
    tools: string[] | null;
    enabled: boolean;
    riskLevel: Server["riskLevel"];
    toolCount: number | null;
  }>;
  memberCount: number;
};

function assertAdmin(actor: Actor) {
  if (actor.role !== "admin") throw new AppError("forbidden", "Only admins can change groups");
}

export async function listGroups(): Promise<GroupDetail[]> {
  const db = await getDb();
  const rows = await db.select().from(groups).orderBy(asc(groups.name));
  return attachDetails(rows);
}

export async function getGroupByName(name: string): Promise<Group | undefined> {
  const db = await getDb();
  const [row] = await db.select().from(groups).where(eq(groups.name, name)).limit(1);
  return row;
}

export async function getGroupDetail(name: string): Promise<GroupDetail> {
  const group = await getGroupByName(name);
  if (!group) throw new AppError("not_found", `No group named ${name}`);
  const [detail] = await attachDetails([group]);
  return detail as GroupDetail;
}

/** Servers (with tool choices) and member counts for a list of groups, in two queries. */
export async function attachDetails(rows: Group[]): Promise<GroupDetail[]> {
  if (rows.length === 0) return [];
  const db = await getDb();
  const ids = rows.map((g) => g.id);
  const links = await db
    .select({
      groupId: groupServers.groupId,
      tools: groupServers.tools,
      position: groupServers.position,
      server: servers,
    })
    .from(groupServers)
    .innerJoin(servers, eq(servers.id, groupServers.serverId))
    .where(inArray(groupServers.groupId, ids))
    .orderBy(asc(groupServers.position));
  const members = await db
    .select({ groupId: groupMembers.groupId })
    .from(groupMembers)
    .where(inArray(groupMembers.groupId, ids));
  return rows.map((group) => ({
    ...group,
    servers: links
      .filter((l) => l.groupId === group.id)
      .map((l) => ({
        name: l.server.name,
        tools: l.tools,
        enabled: l.server.enabled,
        riskLevel: l.server.riskLevel,
        toolCount: l.server.tools?.length ?? null,
      })),
    memberCount: members.filter((m) => m.groupId === group.id).length,
  }));
}

type ResolvedGroup = {
  input: z.output<typeof groupInputSchema>;
  links: Array<{ serverId: string; tools: string[] | null; position: number }>;
};

/**
 * Checks a group against the servers it names: they exist, critical servers only in restricted
 * groups, chosen tools exist, and no two exposed tool names collide.
 */
async function resolveGroup(input: unknown): Promise<ResolvedGroup> {
  const data = parseInput(groupInputSchema, input);
  const wanted = data.servers.map((entry) =>
    typeof entry === "string"
      ? { name: entry, tools: null }
      : { name: entry.name, tools: entry.tools ?? null },
  );
  const errors: FieldErrors = {};
  const names = wanted.map((w) => w.name);
  const duplicates = names.filter((n, i) => names.indexOf(n) !== i);
  if (duplicates.length > 0)
    errors.servers = [`${[...new Set(duplicates)].join(", ")} listed more than once`];

  const db = await getDb();
  const found = names.length > 0 ? await db.select().from(servers).where(inArray(servers.name, names)) : [];
  const byName = new Map(found.map((s) => [s.name, s]));
  const unknown = names.filter((n) => !byName.has(n));
  if (unknown.length > 0)
    errors.servers = [...(errors.servers ?? []), `No server named ${unknown.join(", ")}`];

  const critical = found.filter((s) => s.riskLevel === "critical").map((s) => s.name);
  if (critical.length > 0 && data.visibility === "public") {
    errors.visibility = [
      `${critical.join(", ")} ${critical.length > 1 ? "are" : "is"} critical: critical servers belong in restricted groups only`,
    ];
  }

  const exposed: Array<{ server: string; tool: string; exposed: string }> = [];
  for (const want of wanted) {
    const server = byName.get(want.name);
    if (!server) continue;
    const known = server.tools?.map((t) => t.name);
    if (want.tools && known) {
      const missing = want.tools.filter((t) => !known.includes(t));
      if (missing.length > 0)
        errors[`servers.${want.name}`] = [`${want.name} has no tool ${missing.join(", ")}`];
    }
    const chosen = want.tools ?? known ?? [];
    const prefix = serverPrefix(server);
    for (const tool of chosen)
      exposed.push({ server: server.name, tool, exposed: exposedToolName(prefix, tool) });
  }
  const collisions = findCollisions(exposed);
  if (collisions.size > 0) {
    errors.servers = [
      ...(errors.servers ?? []),
      `These tool names would collide: ${[...collisions].map(([name, owners]) => `${name} (${owners.join(", ")})`).join("; ")}. Give the servers different prefixes or choose fewer tools`,
    ];
  }
  if (Object.keys(errors).length > 0) {
    throw new AppError(
      "validation_failed",
      `The group needs fixing: ${Object.entries(errors)
        .map(([f, m]) => `${f}: ${m.join(", ")}`)
        .join("; ")}`,
      errors,
    );
  }
  return {
    input: data,
    links: wanted.map((w, position) => ({
      serverId: (byName.get(w.name) as Server).id,
      tools: w.tools,
      position,
    })),
  };
}

/** `record: false` when the caller writes its own trail entry (an import records one for the file). */
export type TrailOption = { record?: boolean };

/** A group as the trail describes it: every field is safe to copy (names, visibility, tool lists). */
function trailShape(group: GroupDetail): Record<string, unknown> {
  return {
    name: group.name,
    description: group.description,
    visibility: group.visibility,
    servers: group.servers.map((s) => (s.tools ? { name: s.name, tools: s.tools } : s.name)),
  };
}
const GROUP_FIELDS = ["name", "description", "visibility", "servers"] as const;

export async function createGroup(
  actor: Actor,
  input: unknown,
  { record = true }: TrailOption = {},
): Promise<GroupDetail> {
  assertAdmin(actor);
  const { input: data, links } = await resolveGroup(input);
  const db = await getDb();
  const group = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(groups)
      .values({ name: data.name, description: data.description ?? null, visibility: data.visibility })
      .onConflictDoNothing({ target: groups.name })
      .returning();
    if (!row)
      throw new AppError("conflict", `A group named ${data.name} already exists`, {
        name: ["This name is taken"],
      });
    if (links.length > 0) await tx.insert(groupServers).values(links.map((l) => ({ ...l, groupId: row.id })));
    return row;
  });
  forgetVisibility();
  const detail = await getGroupDetail(group.name);
  if (record)
    await recordAdminEvent(actor, {
      action: "group.create",
      targetType: "group",
      targetId: detail.id,
      targetName: detail.name,
      details: trailShape(detail),
    });
  return detail;
}

/** Changes a group; `patch` holds the fields to change, validated together with the rest. */
export async function updateGroup(
  actor: Actor,
  name: string,
  patch: Record<string, unknown>,
  { record = true }: TrailOption = {},
): Promise<GroupDetail> {
  assertAdmin(actor);
  const current = await getGroupDetail(name);
  const merged = {
    name: current.name,
    ...(current.description && { description: current.description }),
    visibility: current.visibility,
    servers: current.servers.map((s) => (s.tools ? { name: s.name, tools: s.tools } : s.name)),
    ...patch,
  };
  const { input: data, links } = await resolveGroup(merged);
  const db = await getDb();
  await db.transaction(async (tx) => {
    if (data.name !== name) {
      const [taken] = await tx
        .select({ id: groups.id })
        .from(groups)
        .where(eq(groups.name, data.name))
        .limit(1);
      if (taken)
        throw new AppError("conflict", `A group named ${data.name} already exists`, {
          name: ["This name is taken"],
        });
    }
    await tx
      .update(groups)
      .set({
        name: data.name,
        description: data.description ?? null,
        visibility: data.visibility,
        updatedAt: new Date(),
      })
      .where(eq(groups.id, current.id));
    await tx.delete(groupServers).where(eq(groupServers.groupId, current.id));
    if (links.length > 0)
      await tx.insert(groupServers).values(links.map((l) => ({ ...l, groupId: current.id })));
  });
  forgetVisibility();
  const detail = await getGroupDetail(data.name);
  if (record)
    await recordAdminEvent(actor, {
      action: "group.update",
      targetType: "group",
      targetId: detail.id,
      targetName: detail.name,
      details: describeChanges(trailShape(current), trailShape(detail), GROUP_FIELDS),
    });
  return detail;
}

export async function deleteGroup(actor: Actor, name: string): Promise<void> {
  assertAdmin(actor);
  const group = await getGroupByName(name);
  if (!group) throw new AppError("not_found", `No group named ${name}`);
  const db = await getDb();
  await db.delete(groups).where(eq(groups.id, group.id));
  forgetVisibility();
  await recordAdminEvent(actor, {
    action: "group.delete",
    targetType: "group",
    targetId: group.id,
    targetName: group.name,
  });
}

/** Admin: adds a person to a group (the way into restricted groups). New memberships start active. */
export async function addGroupMember(actor: Actor, groupName: string, userId: string): Promise<void> {
  assertAdmin(actor);
  const group = await getGroupByName(groupName);
  if (!group) throw new AppError("not_found", `No group named ${groupName}`);
  const db = await getDb();
  const member = await getUserById(userId);
  if (!member) throw new AppError("not_found", `No user with id ${userId}`);
  const added = await db
    .insert(groupMembers)
    .values({ groupId: group.id, userId, active: true })
    .onConflictDoNothing()
    .returning();
  forgetVisibility();
  // Adding someone who is already a member changes nothing, so it leaves no trail.
  if (added.length > 0)
    await recordAdminEvent(actor, {
      action: "group.member.add",
      targetType: "group",
      targetId: group.id,
      targetName: group.name,
      details: { userId: member.id, email: member.email },
    });
}

export async function removeGroupMember(actor: Actor, groupName: string, userId: string): Promise<void> {
  assertAdmin(actor);
  if (!isUuid(userId)) throw new AppError("not_found", "That person is not a member of this group");
  const group = await getGroupByName(groupName);
  if (!group) throw new AppError("not_found", `No group named ${groupName}`);
  const db = await getDb();
  const removed = await db
    .delete(groupMembers)
    .where(and(eq(groupMembers.groupId, group.id), eq(groupMembers.userId, userId)))
    .returning();
  forgetVisibility();
  if (removed.length === 0) throw new AppError("not_found", "That person is not a member of this group");
  const member = await getUserById(userId);
  await recordAdminEvent(actor, {
    action: "group.member.remove",
    targetType: "group",
    targetId: group.id,
    targetName: group.name,
    details: { userId, email: member?.email ?? null },
  });
}
