import { and, eq, inArray, lt, sql } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { rateLimitWindows } from "@/lib/db/schema";
import { logger } from "@/lib/logger";
import type { CounterStore, WindowCounts } from "./store";
import { WINDOW_MS } from "./window";

/** Windows older than this are never read again (the sliding window looks one minute back). */
const KEEP_MS = 2 * WINDOW_MS;
const PRUNE_EVERY_MS = WINDOW_MS;

/**
 * Counters in `rate_limit_windows`. The increment is one `INSERT … ON CONFLICT DO UPDATE SET
 * calls = calls + 1 RETURNING calls`, atomic in PostgreSQL, so instances sharing a database never
 * lose a count. Old windows are deleted at most once a minute, off the call's path.
 */
export class DatabaseCounterStore implements CounterStore {
  readonly kind = "database" as const;
  private lastPrune = 0;

  async hit(bucket: string, window: number): Promise<WindowCounts> {
    const db = await getDb();
    const [counted, previous] = await Promise.all([
      db
        .insert(rateLimitWindows)
        .values({ bucket, windowStart: new Date(window), calls: 1 })
        .onConflictDoUpdate({
          target: [rateLimitWindows.bucket, rateLimitWindows.windowStart],
          set: { calls: sql`${rateLimitWindows.calls} + 1` },
        })
        .returning({ calls: rateLimitWindows.calls }),
      db
        .select({ calls: rateLimitWindows.calls })
        .from(rateLimitWindows)
        .where(
          and(
            eq(rateLimitWindows.bucket, bucket),
            eq(rateLimitWindows.windowStart, new Date(window - WINDOW_MS)),
          ),
        ),
    ]);
    this.pruneSometimes(window);
    return { current: counted[0]?.calls ?? 1, previous: previous[0]?.calls ?? 0 };
  }

  async undo(bucket: string, window: number): Promise<void> {
    const db = await getDb();
    await db
      .update(rateLimitWindows)
      .set({ calls: sql`greatest(${rateLimitWindows.calls} - 1, 0)` })
      .where(and(eq(rateLimitWindows.bucket, bucket), eq(rateLimitWindows.windowStart, new Date(window))));
  }

  async peek(buckets: readonly string[], window: number): Promise<Map<string, WindowCounts>> {
    const counts = new Map<string, WindowCounts>(buckets.map((b) => [b, { previous: 0, current: 0 }]));
    if (buckets.length === 0) return counts;
    const db = await getDb();
    const rows = await db
      .select()
      .from(rateLimitWindows)
      .where(
        and(
          inArray(rateLimitWindows.bucket, [...buckets]),
          inArray(rateLimitWindows.windowStart, [new Date(window), new Date(window - WINDOW_MS)]),
        ),
      );
    for (const row of rows) {
      const entry = counts.get(row.bucket);
      if (!entry) continue;
      if (row.windowStart.getTime() === window) entry.current = row.calls;
      else entry.previous = row.calls;
    }
    return counts;
  }

  private pruneSometimes(window: number): void {
    if (window - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = window;
    void (async () => {
      const db = await getDb();
      await db.delete(rateLimitWindows).where(lt(rateLimitWindows.windowStart, new Date(window - KEEP_MS)));
    })().catch((error) =>
      logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        "could not prune old rate-limit windows",
      ),
    );
  }
}
