import { broadcast, onClusterEvent } from "@/lib/cluster/bus";
import { getDb } from "@/lib/db";
import { type RateLimit, rateLimits } from "@/lib/db/schema";
import { processWide } from "@/lib/process-wide";

/**
 * A backstop only: admins' changes drop the cache at once, here and (over the cluster bus) on every
 * other instance. A notification lost while the bus reconnects is followed by "resync".
 */
const MAX_AGE_MS = 30_000;

type RuleCache = { rules?: Promise<RateLimit[]>; loadedAt: number };
// On globalThis: the MCP route and the admin pages may be separate bundles sharing one process.
const cache = processWide<RuleCache>("rateLimitRules", () => ({ loadedAt: 0 }));

/** Every limit rule (a handful of rows), read from the database at most every 30 s. */
export function getRateLimitRules(now = Date.now()): Promise<RateLimit[]> {
  if (!cache.rules || now - cache.loadedAt > MAX_AGE_MS) {
    cache.loadedAt = now;
    const loading = (async () => (await getDb()).select().from(rateLimits))();
    cache.rules = loading;
    loading.catch(() => {
      if (cache.rules === loading) cache.rules = undefined;
    });
  }
  return cache.rules;
}

/** Drops the rules here and on every other instance: call after any change to `rate_limits`. */
export function rateLimitsChanged(): void {
  broadcast({ kind: "rate-limits-changed" });
}

const forget = () => {
  cache.rules = undefined;
};
onClusterEvent("rate-limits-changed", forget);
onClusterEvent("resync", forget);
