import { and, asc, count, eq, ne } from "drizzle-orm";
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

/** Creates a user; a duplicate email is a conflict with a message, not a driver error. */
export async function createUser(input: CreateUserInput): Promise<PublicUser> {
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
  return toPublicUser(created);
}

/**
 * Changes a user's name, role, password or disabled flag. The hub always keeps one enabled admin:
 * lowering or disabling the last one is refused.
 */
export async function updateUser(id: string, input: UpdateUserInput): Promise<PublicUser> {
  const data = parseInput(updateUserSchema, input);
  const user = await requireUser(id);
  const losesAdmin =
    user.role === "admin" && !user.disabled && (data.role === "user" || data.disabled === true);
  if (losesAdmin && (await countAdmins()) <= 1) {
    throw new AppError("conflict", "This is the only active admin: make another person admin first");
  }
  const db = await getDb();
  const [updated] = await db
    .update(users)
    .set({
      ...(data.name !== undefined && { name: data.name }),
      ...(data.role !== undefined && { role: data.role }),
      ...(data.disabled !== undefined && { disabled: data.disabled }),
      ...(data.password !== undefined && { passwordHash: await hashPassword(data.password) }),
      updatedAt: new Date(),
    })
    .where(eq(users.id, id))
    .returning();
  if (!updated) throw notFound(id);
  // This instance stops honouring the person's keys at once; others within the cache's second.
  if (data.disabled !== undefined || data.role !== undefined) forgetUserKeys(id);
  return toPublicUser(updated);
}

/** Deletes a user with their keys and identities; nobody deletes themselves or the last admin. */
export async function deleteUser(id: string, actorId: string): Promise<void> {
  const user = await requireUser(id);
  if (user.id === actorId) throw new AppError("conflict", "You cannot delete your own account");
  const db = await getDb();
  if (user.role === "admin" && !user.disabled) {
    const [others] = await db
      .select({ n: count() })
      .from(users)
      .where(and(eq(users.role, "admin"), eq(users.disabled, false), ne(users.id, id)));
    if ((others?.n ?? 0) === 0)
      throw new AppError("conflict", "This is the only active admin and cannot be deleted");
  }
  await db.delete(users).where(eq(users.id, id));
  forgetUserKeys(id);
}

async function requireUser(id: string): Promise<User> {
  const user = await getUserById(id);
  if (!user) throw notFound(id);
  return user;
}

function notFound(id: string) {
  return new AppError("not_found", `No user with id ${id}`);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
