import { type ApplicableLimit, refusalMessage } from "./rules";
import type { CounterStore, WindowCounts } from "./store";
import { allows, estimate, retryAfterSeconds, windowStart } from "./window";

export type LimitDecision =
  | { allowed: true }
  | { allowed: false; limit: ApplicableLimit; retryAfterSeconds: number; message: string };

/**
 * Counts the call against every limit that applies and decides. A refused call is taken back from
 * every counter it was added to, so refusals never use up the limit (a client retrying in a loop
 * gets through as soon as the window has room). Store errors propagate: the caller fails open.
 */
export async function decide(
  limits: readonly ApplicableLimit[],
  store: CounterStore,
  now = Date.now(),
): Promise<LimitDecision> {
  if (limits.length === 0) return { allowed: true };
  const window = windowStart(now);
  const counts = await Promise.all(limits.map((limit) => store.hit(limit.bucket, window)));
  let refused: { limit: ApplicableLimit; retryAfterSeconds: number } | undefined;
  limits.forEach((limit, i) => {
    const { previous, current } = counts[i] as WindowCounts;
    if (allows(limit.callsPerMinute, previous, current, now)) return;
    const wait = retryAfterSeconds(limit.callsPerMinute, previous, current - 1, now);
    if (!refused || wait > refused.retryAfterSeconds) refused = { limit, retryAfterSeconds: wait };
  });
  if (!refused) return { allowed: true };
  await Promise.all(limits.map((limit) => store.undo(limit.bucket, window)));
  return {
    allowed: false,
    ...refused,
    message: refusalMessage(refused.limit, refused.retryAfterSeconds),
  };
}

/** Calls in the last 60 seconds, as the sliding window sees them (the admin page's usage). */
export function usageOf(counts: WindowCounts | undefined, now = Date.now()): number {
  return counts ? Math.round(estimate(counts.previous, counts.current, now)) : 0;
}
