/** The two counters the sliding window reads: the previous minute's calls and the current one's. */
export type WindowCounts = { previous: number; current: number };

/**
 * Where calls are counted, shared by every instance of the hub: the database table
 * `rate_limit_windows`, or Redis when REDIS_URL is set. Every method may throw when the store is
 * unreachable; the caller lets the call through (lib/limits/check.ts).
 */
export interface CounterStore {
  readonly kind: "database" | "redis";
  /** Counts one call in the window starting at `window` (epoch ms); answers the counts including it. */
  hit(bucket: string, window: number): Promise<WindowCounts>;
  /** Takes one counted call back: a refused call does not use up the limit. */
  undo(bucket: string, window: number): Promise<void>;
  /** Reads the counts without counting (the admin page's usage column). */
  peek(buckets: readonly string[], window: number): Promise<Map<string, WindowCounts>>;
}
