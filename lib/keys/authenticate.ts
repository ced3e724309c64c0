import { and, eq, isNull } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { apiKeys, type UserRole, users } from "@/lib/db/schema";
import { DatabaseUnavailableError, isDatabaseUnavailable, withDatabaseDeadline } from "@/lib/db/unavailable";
import { logger } from "@/lib/logger";
import { hubMetrics } from "@/lib/metrics/hub-metrics";
import { type CachedKey, cacheKey, dropCachedKey, readCachedKey, readCachedKeyDuringOutage } from "./cache";
import { hashesEqual, hashKey, looksLikeKey } from "./format";

export type KeyPrincipal = { userId: string; email: string; role: UserRole; keyId: string };

const LAST_USED_WRITE_INTERVAL_MS = 60_000;
const lastUsedWrites = new Map<string, number>();
/** A lookup that has not answered by then is treated as an unreachable database (a blackholed connection). */
const LOOKUP_DEADLINE_MS = 3_000;

/**
 * Resolves an MCPHub key to its owner. Refuses malformed, unknown, revoked and expired keys and
 * keys of disabled users; answers from a one-second cache on the hot path. When the database cannot
 * be reached, a key looked up within the last minute still works; any other key gets a
 * DatabaseUnavailableError (callers answer 503 with Retry-After).
 */
export async function authenticateKey(key: string): Promise<KeyPrincipal | null> {
  if (!looksLikeKey(key)) return null;
  const hashed = hashKey(key);
  const now = Date.now();
  let entry = readCachedKey(hashed, now);
  hubMetrics.keyCache.inc({ result: entry ? "hit" : "miss" });
  if (!entry) {
    let row: Awaited<ReturnType<typeof lookUp>>;
    try {
      row = await withDatabaseDeadline(lookUp(hashed), LOOKUP_DEADLINE_MS, "the key lookup");
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      const remembered = readCachedKeyDuringOutage(hashed, now);
      if (!remembered)
        throw error instanceof DatabaseUnavailableError
          ? error
          : new DatabaseUnavailableError(error instanceof Error ? error.message : String(error));
      logger.warn({ keyId: remembered.keyId }, "database unreachable: a recently looked-up key was accepted");
      return principalOf(remembered);
    }
    // The index found the row by hash; compare again in constant time so no code path branches on a partial match.
    if (!row || !hashesEqual(row.hashedKey, hashed)) {
      dropCachedKey(hashed);
      return null;
    }
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
  return principalOf(entry);
}

function principalOf(entry: CachedKey): KeyPrincipal | null {
  if (entry.expiresAt && entry.expiresAt.getTime() <= Date.now()) return null;
  return { userId: entry.userId, email: entry.email, role: entry.role, keyId: entry.keyId };
}

async function lookUp(hashed: string) {
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
  return row;
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
