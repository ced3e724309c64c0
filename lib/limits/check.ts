import { getEnv } from "@/lib/config/env";
import { logger } from "@/lib/logger";
import { hubMetrics } from "@/lib/metrics/hub-metrics";
import { processWide } from "@/lib/process-wide";
import { DatabaseCounterStore } from "./db-store";
import { decide, type LimitDecision } from "./decide";
import { RedisCounterStore } from "./redis-store";
import { getRateLimitRules } from "./rule-cache";
import { applicableLimits } from "./rules";
import type { CounterStore } from "./store";

const WARN_EVERY_MS = 60_000;

type CheckState = { store?: CounterStore; lastWarning: number };
const state = processWide<CheckState>("rateLimitCheck", () => ({ lastWarning: 0 }));

/** Redis when REDIS_URL is set, else the database: one store per process. */
export function getCounterStore(): CounterStore {
  if (!state.store) {
    const url = getEnv().REDIS_URL;
    state.store = url ? new RedisCounterStore(url) : new DatabaseCounterStore();
  }
  return state.store;
}

/**
 * Whether this person may call this server now. Fails open: when the rules or the counters cannot
 * be read (Redis down, database error) the call goes ahead, a warning is logged at most once a
 * minute, and mcphub_rate_limit_store_errors_total counts it. A limit must never take the hub down.
 */
export async function checkRateLimit(call: {
  userId: string;
  serverId: string;
  serverName: string;
}): Promise<LimitDecision> {
  try {
    const limits = applicableLimits(await getRateLimitRules(), call);
    if (limits.length === 0) return { allowed: true };
    const decision = await decide(limits, getCounterStore());
    if (!decision.allowed) hubMetrics.rateLimitRefusals.inc({ scope: decision.limit.scope });
    return decision;
  } catch (error) {
    hubMetrics.rateLimitStoreErrors.inc();
    const now = Date.now();
    if (now - state.lastWarning >= WARN_EVERY_MS) {
      state.lastWarning = now;
      logger.warn(
        { err: error instanceof Error ? error.message : String(error), store: state.store?.kind },
        "rate limits are not enforced right now: the counters could not be read, so calls go ahead",
      );
    }
    return { allowed: true };
  }
}
