import { broadcast, onClusterEvent } from "@/lib/cluster/bus";
import type { UserRole } from "@/lib/db/schema";
import { processWide } from "@/lib/process-wide";

/** One cached key lookup: enough to authenticate without the database. */
export type CachedKey = {
  keyId: string;
  userId: string;
  email: string;
  role: UserRole;
  expiresAt: Date | null;
  fetchedAt: number;
};

/**
 * Lookups live for at most this long, so a key revoked on another instance (or a user disabled
 * there) stops working within a second, without a database trip on every request.
 * Unknown keys are not cached: guessing cannot fill the cache.
 */
export const KEY_CACHE_TTL_MS = 1_000;
/**
 * While the database cannot be reached, a key looked up this recently still authenticates: a
 * restart of the database should not log everyone out. Revocations heard on this instance still
 * drop the entry at once; a key the database later calls unknown is dropped too.
 */
export const KEY_CACHE_OUTAGE_GRACE_MS = 60_000;
const MAX_ENTRIES = 10_000;

const entries = processWide<Map<string, CachedKey>>("keyCache", () => new Map());

export function readCachedKey(hashedKey: string, now = Date.now()): CachedKey | undefined {
  const entry = entries.get(hashedKey);
  if (!entry) return undefined;
  if (now - entry.fetchedAt > KEY_CACHE_OUTAGE_GRACE_MS) {
    entries.delete(hashedKey);
    return undefined;
  }
  return now - entry.fetchedAt > KEY_CACHE_TTL_MS ? undefined : entry;
}

/** An entry past its TTL but within the outage grace: only for when the database is out of reach. */
export function readCachedKeyDuringOutage(hashedKey: string, now = Date.now()): CachedKey | undefined {
  const entry = entries.get(hashedKey);
  return entry && now - entry.fetchedAt <= KEY_CACHE_OUTAGE_GRACE_MS ? entry : undefined;
}

/** Drops one lookup here only (the database no longer knows the key). */
export function dropCachedKey(hashedKey: string): void {
  entries.delete(hashedKey);
}

export function cacheKey(hashedKey: string, value: CachedKey): void {
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
  entries.set(hashedKey, value);
}

/** Drops a revoked key here and on every other instance. */
export function forgetKey(hashedKey: string): void {
  broadcast({ kind: "key-revoked", hashedKey });
}

/** Drops every cached lookup of one user's keys (disabled, deleted, role changed), on every instance. */
export function forgetUserKeys(userId: string): void {
  broadcast({ kind: "user-changed", userId });
}

// Registered once per process (the map is shared on globalThis; a second bundle's copy only repeats a delete).
onClusterEvent("key-revoked", ({ hashedKey }) => entries.delete(hashedKey));
onClusterEvent("user-changed", ({ userId }) => {
  for (const [hash, entry] of entries) if (entry.userId === userId) entries.delete(hash);
});
onClusterEvent("resync", () => entries.clear());
