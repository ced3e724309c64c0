import { and, eq, inArray, or } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { groupMembers, groups } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { attachDetails, type GroupDetail } from "./queries";

export type MyGroup = GroupDetail & { member: boolean; active: boolean };

/** The groups a person may see: every public group, and the restricted ones they belong to. */
export async function listGroupsForUser(userId: string): Promise<MyGroup[]> {
  const db = await getDb();
  const memberships = await db.select().from(groupMembers).where(eq(groupMembers.userId, userId));
  const memberOf = memberships.map((m) => m.groupId);
  const visible = await db
    .select()
    .from(groups)
    .where(
      memberOf.length > 0
        ? or(eq(groups.visibility, "public"), inArray(groups.id, memberOf))
        : eq(groups.visibility, "public"),
    )
    .orderBy(groups.name);
  const details = await attachDetails(visible);
  return details.map((group) => {
    const membership = memberships.find((m) => m.groupId === group.id);
    return { ...group, member: Boolean(membership), active: membership?.active ?? false };
  });
}

/**
 * Switches a person's membership active or inactive. Activating a public group joins it; a
 * restricted group the person does not belong to answers exactly like a group that does not exist.
 */
export async function setMyGroupActive(userId: string, groupName: string, active: boolean): Promise<MyGroup> {
  const db = await getDb();
  const [group] = await db.select().from(groups).where(eq(groups.name, groupName)).limit(1);
  const [membership] = group
    ? await db
        .select()
        .from(groupMembers)
        .where(and(eq(groupMembers.groupId, group.id), eq(groupMembers.userId, userId)))
        .limit(1)
    : [];
  if (!group || (group.visibility === "restricted" && !membership)) {
    throw new AppError("not_found", `No group named ${groupName} that you can join`);
  }
  if (membership) {
    await db
      .update(groupMembers)
      .set({ active })
      .where(and(eq(groupMembers.groupId, group.id), eq(groupMembers.userId, userId)));
  } else {
    await db
      .insert(groupMembers)
      .values({ groupId: group.id, userId, active })
      .onConflictDoUpdate({
        target: [groupMembers.groupId, groupMembers.userId],
        set: { active },
      });
  }
  const mine = await listGroupsForUser(userId);
  return mine.find((g) => g.id === group.id) as MyGroup;
}

/** Leaves a public group. Restricted memberships are managed by admins. */
export async function leaveGroup(userId: string, groupName: string): Promise<void> {
  const db = await getDb();
  const [group] = await db.select().from(groups).where(eq(groups.name, groupName)).limit(1);
  if (!group) throw new AppError("not_found", `No group named ${groupName} that you can join`);
  if (group.visibility === "restricted")
    throw new AppError("forbidden", "Restricted groups are managed by admins: ask one to remove you");
  await db
    .delete(groupMembers)
    .where(and(eq(groupMembers.groupId, group.id), eq(groupMembers.userId, userId)));
}

/** Ids of the groups a person has switched active (the default view of /api/mcp). */
export async function getActiveGroupIds(userId: string): Promise<string[]> {
  const db = await getDb();
  const rows = await db
    .select({ groupId: groupMembers.groupId })
    .from(groupMembers)
    .where(and(eq(groupMembers.userId, userId), eq(groupMembers.active, true)));
  return rows.map((r) => r.groupId);
}
