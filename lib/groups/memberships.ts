import { and, asc, eq, inArray, or } from "drizzle-orm";
import type { Actor } from "@/lib/audit/admin-events";
import { getDb } from "@/lib/db";
import { type Group, groupMembers, groups, users } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { forgetVisibility } from "@/lib/mcp/visibility";
import { emailSchema } from "@/lib/users/schemas";
import { addGroupMember, attachDetails, type GroupDetail, getGroupByName } from "./queries";

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
  forgetVisibility();
  const mine = await listGroupsForUser(userId);
  return mine.find((g) => g.id === group.id) as MyGroup;
}

/**
 * Leaves a public group. Restricted memberships are managed by admins; a restricted group the
 * person is not in answers like a group that does not exist, so its name does not leak.
 */
export async function leaveGroup(userId: string, groupName: string): Promise<void> {
  const db = await getDb();
  const [group] = await db.select().from(groups).where(eq(groups.name, groupName)).limit(1);
  const [membership] =
    group?.visibility === "restricted"
      ? await db
          .select()
          .from(groupMembers)
          .where(and(eq(groupMembers.groupId, group.id), eq(groupMembers.userId, userId)))
          .limit(1)
      : [];
  if (!group || (group.visibility === "restricted" && !membership))
    throw new AppError("not_found", `No group named ${groupName} that you can join`);
  if (group.visibility === "restricted")
    throw new AppError("forbidden", "Restricted groups are managed by admins: ask one to remove you");
  await db
    .delete(groupMembers)
    .where(and(eq(groupMembers.groupId, group.id), eq(groupMembers.userId, userId)));
  forgetVisibility();
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

export type GroupMemberRow = {
  userId: string;
  email: string;
  name: string | null;
  active: boolean;
  joinedAt: Date;
};

/** Admin: the members of one group, by email. */
export async function listGroupMembers(groupName: string): Promise<GroupMemberRow[]> {
  const group = await getGroupByName(groupName);
  if (!group) throw new AppError("not_found", `No group named ${groupName}`);
  const db = await getDb();
  return db
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      active: groupMembers.active,
      joinedAt: groupMembers.joinedAt,
    })
    .from(groupMembers)
    .innerJoin(users, eq(users.id, groupMembers.userId))
    .where(eq(groupMembers.groupId, group.id))
    .orderBy(asc(users.email));
}

/** Admin: adds the person with this email to a group; an unknown email is a field error. */
export async function addGroupMemberByEmail(
  actor: Actor,
  groupName: string,
  email: unknown,
): Promise<{ email: string }> {
  // Checked before the lookup too, so nobody else can learn which emails have accounts.
  if (actor.role !== "admin") throw new AppError("forbidden", "Only admins can change groups");
  const parsed = emailSchema.safeParse(email);
  if (!parsed.success)
    throw new AppError("validation_failed", "Enter the email of a person on this hub", {
      email: [parsed.error.issues[0]?.message ?? "Enter an email address"],
    });
  const db = await getDb();
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, parsed.data)).limit(1);
  if (!user) {
    throw new AppError(
      "not_found",
      `Nobody with the email ${parsed.data} has an account: add them on Users first`,
      {
        email: ["No account with this email: add the person on Users first"],
      },
    );
  }
  await addGroupMember(actor, groupName, user.id);
  return { email: parsed.data };
}

export type UserMembership = { groupName: string; visibility: Group["visibility"]; active: boolean };

/** Admin: every person's memberships, keyed by user id, for the users page. */
export async function listMembershipsByUser(): Promise<Map<string, UserMembership[]>> {
  const db = await getDb();
  const rows = await db
    .select({
      userId: groupMembers.userId,
      groupName: groups.name,
      visibility: groups.visibility,
      active: groupMembers.active,
    })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .orderBy(asc(groups.name));
  const byUser = new Map<string, UserMembership[]>();
  for (const { userId, ...membership } of rows)
    byUser.set(userId, [...(byUser.get(userId) ?? []), membership]);
  return byUser;
}
