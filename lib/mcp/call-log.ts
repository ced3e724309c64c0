import { getDb } from "@/lib/db";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import { logger } from "@/lib/logger";
import { processWide } from "@/lib/process-wide";
import { type CallRecord, insertCallRows } from "./call-log-rows";

const FLUSH_INTERVAL_MS = 250;
const BATCH_SIZE = 500;
/** A database outage must not grow memory without bound: past this, the oldest rows are dropped and counted. */
const MAX_PENDING = 20_000;
const RETRY_MS = 2_000;
/**
 * A batch the database refuses while reachable (not an outage) is tried this many times, then
 * dropped and counted: one bad row must not hold every later row back forever.
 */
const MAX_REFUSED_ATTEMPTS = 5;

type LogState = {
  pending: CallRecord[];
  timer?: NodeJS.Timeout;
  flushing?: Promise<void>;
  dropped: number;
  /** Consecutive failed writes of the batch at the head of the queue for another reason than an outage. */
  refused?: number;
};
const state = processWide<LogState>("callLog", () => ({ pending: [], dropped: 0 }));

/**
 * Queues one call for the log. The call's response never waits for the database: rows are written
 * in batches a few times a second.
 */
export function recordCall(record: CallRecord): void {
  // The row's time is the call's, not the batch's: a batch insert would give every row the same
  // now(), and rows retried after a database outage would carry the time they were finally written.
  state.pending.push({ ...record, at: record.at ?? new Date() });
  const overflow = state.pending.length - MAX_PENDING;
  if (overflow > 0) {
    state.pending.splice(0, overflow);
    state.dropped += overflow;
  }
  state.timer ??= setTimeout(() => {
    state.timer = undefined;
    void flushCallLog();
  }, FLUSH_INTERVAL_MS);
  state.timer.unref?.();
}

/** Writes every queued row now (tests, shutdown). Rows that fail stay queued for the next flush. */
export async function flushCallLog(): Promise<void> {
  if (state.flushing) await state.flushing;
  state.flushing = (async () => {
    while (state.pending.length > 0) {
      const batch = state.pending.splice(0, BATCH_SIZE);
      try {
        const db = await getDb();
        await insertCallRows(db, batch);
      } catch (error) {
        const outage = isDatabaseUnavailable(error);
        state.refused = outage ? 0 : (state.refused ?? 0) + 1;
        const err = error instanceof Error ? error.message : String(error);
        if (!outage && state.refused >= MAX_REFUSED_ATTEMPTS) {
          // Unlike an outage, retrying a refusal longer would not help: report and drop it.
          state.refused = 0;
          state.dropped += batch.length;
          logger.error({ err, rows: batch.length }, "the database refused a call log batch; dropped it");
          continue;
        }
        // An outage keeps every row queued (bounded by MAX_PENDING) until the database is back.
        state.pending.unshift(...batch);
        logger.error(
          { err, pending: state.pending.length, outage },
          "could not write the call log; will retry",
        );
        state.timer ??= setTimeout(() => {
          state.timer = undefined;
          void flushCallLog();
        }, RETRY_MS);
        state.timer.unref?.();
        return;
      }
      state.refused = 0;
    }
    if (state.dropped > 0) {
      logger.error(
        { dropped: state.dropped },
        "call log rows were dropped (the queue overflowed during an outage, or the database refused them)",
      );
      state.dropped = 0;
    }
  })();
  try {
    await state.flushing;
  } finally {
    state.flushing = undefined;
  }
}
