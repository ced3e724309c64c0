import { and, asc, count, eq } from "drizzle-orm";
import { type Actor, type AdminActor, describeChanges, recordAdminEvent } from "@/lib/audit/admin-events";
import { hashPassword } from "@/lib/auth/password";
import { type Database, getDb } from "@/lib/db";
import { type User, users } from "@/lib/db/schema";
import { AppError, parseInput } from "@/lib/errors";
import { forgetUserKeys } from "@/lib/keys/cache";
import { type CreateUserInput, createUserSchema, type UpdateUserInput, updateUserSchema } from "./schemas";

/** What pages and the API may see of a user: never the password hash. */
export type PublicUser = Omit<User, "passwordHash">;

export function toPublicUser({ passwordHash: _omitted, ...user }: User): PublicUser {
  return user;
}

export async function getUserById(id: string): Promise<User | undefined> {
  if (!isUuid(id)) return undefined;
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return user;
}

export async function getUserByEmail(email: string): Promise<User | undefined> {
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase())).limit(1);
  return user;
}

export async function listUsers(): Promise<PublicUser[]> {
  const db = await getDb();
  const rows = await db.select().from(users).orderBy(asc(users.createdAt), asc(users.email));
  return rows.map(toPublicUser);
}

export async function countAdmins(db?: Database): Promise<number> {
  const database = db ?? (await getDb());
  const [row] = await database
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.role, "admin"), eq(users.disabled, false)));
  return row?.n ?? 0;
}

/**
 * Creates a user; a duplicate email is a conflict with a message, not a driver error. `trail` names
 * who made the account (an admin, or `null` for the hub's own bootstrap); sign-in provisioning
 * passes none, as nobody administered anything.
 */
export async function createUser(
  input: CreateUserInput,
  trail?: { actor: AdminActor; via?: string },
): Promise<PublicUser> {
  const data = parseInput(createUserSchema, input);
  const db = await getDb();
  if (await getUserByEmail(data.email)) {
    throw new AppError("conflict", `A user with the email ${data.email} already exists`, {
      email: ["This email is already in use"],
    });
  }
  const passwordHash = data.password ? await hashPassword(data.password) : null;
  const [created] = await db
    .insert(users)
    .values({ email: data.email, name: data.name ?? null, role: data.role, passwordHash })
    .onConflictDoNothing({ target: users.email })
    .returning();
  if (!created) {
    throw new AppError("conflict", `A user with the email ${data.email} already exists`, {
      email: ["This email is already in use"],
    });
  }
  if (trail)
    await recordAdminEvent(trail.actor, {
      action: "user.create",
      targetType: "user",
      targetId: created.id,
      targetName: created.email,
      details: {
        role: created.role,
        password: data.password !== undefined,
        ...(trail.via && { via: trail.via }),
      },
    });
  return toPublicUser(created);
}

/**
 * Changes a user's name, role, password or disabled flag. The hub always keeps one enabled admin:
 * lowering or disabling the last one is refused.
 */
export async function updateUser(id: string, input: UpdateUserInput, actor: Actor): Promise<PublicUser> {
  const data = parseInput(updateUserSchema, input);
  const before = await requireUser(id);
  // Hashing is slow: do it before the transaction, not while holding the admins' row locks.
  const passwordHash = data.password !== undefined ? await hashPassword(data.password) : undefined;
  const db = await getDb();
  const updated = await db.transaction(async (tx) => {
    if (data.role === "user" || data.disabled === true) {
      const admins = await lockActiveAdmins(tx);
      if (admins.includes(id) && admins.length <= 1) {
        throw new AppError("conflict", "This is the only active admin: make another person admin first");
      }
    }
    const [row] = await tx
      .update(users)
      .set({
        ...(data.name !== undefined && { name: data.name }),
        ...(data.role !== undefined && { role: data.role }),
        ...(data.disabled !== undefined && { disabled: data.disabled }),
        ...(passwordHash !== undefined && { passwordHash }),
        updatedAt: new Date(),
      })
      .where(eq(users.id, id))
      .returning();
    return row;
  });
  if (!updated) throw notFound(id);
  // This instance stops honouring the person's keys at once; others within the cache's second.
  if (data.disabled !== undefined || data.role !== undefined) forgetUserKeys(id);
  await recordUserUpdate(actor, before, updated, passwordHash !== undefined);
  return toPublicUser(updated);
}

/** Names what changed (never the password, only that it was set); a lone switch of `disabled` is its own verb. */
async function recordUserUpdate(actor: Actor, before: User, after: User, passwordSet: boolean) {
  const shape = (u: User) => ({ name: u.name, role: u.role, disabled: u.disabled });
  const details = describeChanges(shape(before), shape(after), ["name", "role", "disabled"]);
  if (passwordSet) details.changed.push("password");
  if (details.changed.length === 0) return;
  const toggled = details.changed.length === 1 && details.changed[0] === "disabled";
  await recordAdminEvent(actor, {
    action: toggled ? (after.disabled ? "user.disable" : "user.enable") : "user.update",
    targetType: "user",
    targetId: after.id,
    targetName: after.email,
    details,
  });
}

/** Deletes a user with their keys and identities; nobody deletes themselves or the last admin. */
export async function deleteUser(id: string, actor: Actor): Promise<void> {
  const user = await requireUser(id);
  if (user.id === actor.id)
    throw new AppError("conflict", "You cannot delete your own account: ask another admin to do it");
  const db = await getDb();
  await db.transaction(async (tx) => {
    const admins = await lockActiveAdmins(tx);
    if (admins.includes(id) && admins.length <= 1) {
      throw new AppError(
        "conflict",
        "This is the only active admin and cannot be deleted: make another person admin first",
      );
    }
    await tx.delete(users).where(eq(users.id, id));
  });
  forgetUserKeys(id);
  await recordAdminEvent(actor, {
    action: "user.delete",
    targetType: "user",
    targetId: user.id,
    targetName: user.email,
    details: { role: user.role },
  });
}

type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

/**
 * The active admins' ids, row-locked until the transaction ends. Checking "is this the last admin?"
 * and then writing is otherwise a race: two admins demoting each other at once would both see two
 * admins and leave none. A second transaction waits here and then sees the first one's result.
 * Locking in id order keeps two of them from deadlocking.
 */
async function lockActiveAdmins(tx: Transaction): Promise<string[]> {
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, "admin"), eq(users.disabled, false)))
    .orderBy(asc(users.id))
    .for("update");
  return rows.map((row) => row.id);
}

async function requireUser(id: string): Promise<User> {
  const user = await getUserById(id);
  if (!user) throw notFound(id);
  return user;
}

function notFound(id: string) {
  // Someone who passed an email or a name instead of an id learns where the ids are.
  return new AppError(
    "not_found",
    isUuid(id)
      ? `No user with id ${id}`
      : `No user with id ${id}: user ids are UUIDs, listed by GET /api/v1/users`,
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
