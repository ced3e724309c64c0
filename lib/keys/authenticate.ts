import { and, eq, isNull } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { apiKeys, type UserRole, users } from "@/lib/db/schema";
import { hubMetrics } from "@/lib/metrics/hub-metrics";
import { cacheKey, readCachedKey } from "./cache";
import { hashesEqual, hashKey, looksLikeKey } from "./format";

export type KeyPrincipal = { userId: string; email: string; role: UserRole; keyId: string };

const LAST_USED_WRITE_INTERVAL_MS = 60_000;
const lastUsedWrites = new Map<string, number>();

/**
 * Resolves an MCPHub key to its owner. Refuses malformed, unknown, revoked and expired keys and
 * keys of disabled users; answers from a one-second cache on the hot path.
 */
export async function authenticateKey(key: string): Promise<KeyPrincipal | null> {
  if (!looksLikeKey(key)) return null;
  const hashed = hashKey(key);
  const now = Date.now();
  let entry = readCachedKey(hashed, now);
  hubMetrics.keyCache.inc({ result: entry ? "hit" : "miss" });
  if (!entry) {
    const db = await getDb();
    const [row] = await db
      .select({
        keyId: apiKeys.id,
        hashedKey: apiKeys.hashedKey,
        userId: users.id,
        email: users.email,
        role: users.role,
        expiresAt: apiKeys.expiresAt,
      })
      .from(apiKeys)
      .innerJoin(users, eq(users.id, apiKeys.userId))
      .where(and(eq(apiKeys.hashedKey, hashed), isNull(apiKeys.revokedAt), eq(users.disabled, false)))
      .limit(1);
    // The index found the row by hash; compare again in constant time so no code path branches on a partial match.
    if (!row || !hashesEqual(row.hashedKey, hashed)) return null;
    entry = {
      keyId: row.keyId,
      userId: row.userId,
      email: row.email,
      role: row.role,
      expiresAt: row.expiresAt,
      fetchedAt: now,
    };
    cacheKey(hashed, entry);
  }
  if (entry.expiresAt && entry.expiresAt.getTime() <= now) return null;
  void recordLastUsed(entry.keyId, now);
  return { userId: entry.userId, email: entry.email, role: entry.role, keyId: entry.keyId };
}

/** Writes `last_used_at` at most once a minute per key, off the request's path. */
async function recordLastUsed(keyId: string, now: number): Promise<void> {
  const previous = lastUsedWrites.get(keyId) ?? 0;
  if (now - previous < LAST_USED_WRITE_INTERVAL_MS) return;
  lastUsedWrites.set(keyId, now);
  try {
    const db = await getDb();
    await db
      .update(apiKeys)
      .set({ lastUsedAt: new Date(now) })
      .where(eq(apiKeys.id, keyId));
  } catch {
    lastUsedWrites.delete(keyId);
  }
}
