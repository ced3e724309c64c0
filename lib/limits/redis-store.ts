import { RespClient } from "./resp";
import type { CounterStore, WindowCounts } from "./store";
import { WINDOW_MS } from "./window";

/** A window's key lives a little beyond the minute after it, when it is last read as "previous". */
const TTL_MS = 3 * WINDOW_MS;
const PREFIX = "mcphub:ratelimit:";

const keyOf = (bucket: string, window: number) => `${PREFIX}${bucket}:${window}`;
const asCount = (value: unknown) => (value === null || value === undefined ? 0 : Number(value));

/**
 * Counters in Redis (REDIS_URL): INCR is atomic, keys expire by themselves, so there is nothing to
 * prune. One pipelined round trip per call and limit.
 */
export class RedisCounterStore implements CounterStore {
  readonly kind = "redis" as const;
  readonly client: RespClient;

  constructor(url: string) {
    this.client = new RespClient(new URL(url));
  }

  async hit(bucket: string, window: number): Promise<WindowCounts> {
    const key = keyOf(bucket, window);
    const [current, , previous] = await this.client.pipeline([
      ["INCR", key],
      ["PEXPIRE", key, TTL_MS],
      ["GET", keyOf(bucket, window - WINDOW_MS)],
    ]);
    return { current: asCount(current), previous: asCount(previous) };
  }

  async undo(bucket: string, window: number): Promise<void> {
    await this.client.command("DECR", keyOf(bucket, window));
  }

  async peek(buckets: readonly string[], window: number): Promise<Map<string, WindowCounts>> {
    const counts = new Map<string, WindowCounts>();
    if (buckets.length === 0) return counts;
    const keys = buckets.flatMap((bucket) => [keyOf(bucket, window), keyOf(bucket, window - WINDOW_MS)]);
    const values = (await this.client.command("MGET", ...keys)) as Array<string | null>;
    buckets.forEach((bucket, i) => {
      counts.set(bucket, { current: asCount(values[2 * i]), previous: asCount(values[2 * i + 1]) });
    });
    return counts;
  }
}
