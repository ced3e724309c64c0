import { and, desc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { type Actor, recordAdminEvent } from "@/lib/audit/admin-events";
import { getDb } from "@/lib/db";
import { type ApiKey, apiKeys, users } from "@/lib/db/schema";
import { AppError, parseInput } from "@/lib/errors";
import { isUuid } from "@/lib/users/queries";
import { forgetKey } from "./cache";
import { generateKey, hashKey, looksLikeKey, partialKey } from "./format";

/** A key as lists show it: never the hash, never the key. */
export type KeySummary = Pick<
  ApiKey,
  "id" | "name" | "partialKey" | "createdAt" | "lastUsedAt" | "expiresAt" | "revokedAt"
>;

export const createKeySchema = z.object({
  name: z
    .string({ error: "Name the key" })
    .trim()
    .min(1, { error: "Name the key, for example after the client that uses it" })
    .max(100, { error: "Use at most 100 characters" }),
  expiresAt: z.coerce
    .date({ error: "expiresAt must be a date, such as 2027-01-31" })
    .refine((date) => date.getTime() > Date.now(), { error: "expiresAt must be in the future" })
    .optional(),
});

function toSummary(key: ApiKey): KeySummary {
  const { id, name, partialKey, createdAt, lastUsedAt, expiresAt, revokedAt } = key;
  return { id, name, partialKey, createdAt, lastUsedAt, expiresAt, revokedAt };
}

/** Creates a key for a user; the returned `key` is the only time anybody sees it. */
export async function createKey(
  userId: string,
  input: z.input<typeof createKeySchema>,
): Promise<KeySummary & { key: string }> {
  const data = parseInput(createKeySchema, input);
  return insertKey(userId, data.name, generateKey(), data.expiresAt ?? null);
}

/** Registers an exact key chosen by the operator (MCPHUB_ADMIN_API_KEY); does nothing if it exists. */
export async function registerKey(userId: string, name: string, key: string): Promise<void> {
  if (!looksLikeKey(key))
    throw new AppError("bad_request", "A key must look like mcphub_ followed by 43 base64url characters");
  const db = await getDb();
  await db
    .insert(apiKeys)
    .values({ userId, name, hashedKey: hashKey(key), partialKey: partialKey(key) })
    .onConflictDoNothing({ target: apiKeys.hashedKey });
}

async function insertKey(userId: string, name: string, key: string, expiresAt: Date | null) {
  const db = await getDb();
  const [row] = await db
    .insert(apiKeys)
    .values({ userId, name, hashedKey: hashKey(key), partialKey: partialKey(key), expiresAt })
    .returning();
  if (!row) throw new AppError("internal", "The key could not be saved");
  return { ...toSummary(row), key };
}

export async function listKeys(userId: string): Promise<KeySummary[]> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.userId, userId))
    .orderBy(desc(apiKeys.createdAt));
  return rows.map(toSummary);
}

/** Revokes one of a user's keys; another user's key id is answered as not found. */
export async function revokeKey(userId: string, keyId: string): Promise<void> {
  if (!isUuid(keyId) || !isUuid(userId)) throw new AppError("not_found", "No such active key");
  const db = await getDb();
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
    .returning({ hashedKey: apiKeys.hashedKey });
  if (!row) throw new AppError("not_found", "No such active key");
  forgetKey(row.hashedKey);
}

/** Admin: every user's keys that are not revoked, keyed by user id, newest first. */
export async function listActiveKeysByUser(): Promise<Map<string, KeySummary[]>> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(apiKeys)
    .where(isNull(apiKeys.revokedAt))
    .orderBy(desc(apiKeys.createdAt));
  const byUser = new Map<string, KeySummary[]>();
  for (const row of rows) byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), toSummary(row)]);
  return byUser;
}

/** Admin: revokes anybody's key; it stops working at once on this instance. */
export async function revokeKeyAsAdmin(actor: Actor, keyId: string): Promise<KeySummary> {
  if (actor.role !== "admin") throw new AppError("forbidden", "Only admins can revoke other people's keys");
  if (!isUuid(keyId)) throw new AppError("not_found", "No such active key");
  const db = await getDb();
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)))
    .returning();
  if (!row) throw new AppError("not_found", "No such active key: it may be revoked already");
  forgetKey(row.hashedKey);
  // Admin trail (issue 8): who revoked whose key; the key's name and hint only.
  const [owner] = await db.select({ email: users.email }).from(users).where(eq(users.id, row.userId));
  await recordAdminEvent(actor, {
    action: "key.revoke",
    targetType: "key",
    targetId: row.id,
    targetName: row.name,
    details: { userId: row.userId, email: owner?.email ?? null, partialKey: row.partialKey },
  });
  return toSummary(row);
}
