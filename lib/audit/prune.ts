import { inArray, lt } from "drizzle-orm";
import type { Database } from "@/lib/db";
import { adminEvents, toolCalls } from "@/lib/db/schema";

export type PruneOptions = {
  /** Rows with `at` before this are deleted. */
  cutoff: Date;
  /** Rows per DELETE: small enough that one statement never holds locks for long. Default 5,000. */
  batchSize?: number;
  /** Statements per table and run; what is left waits for the next run. Default 200 (a million rows). */
  maxBatches?: number;
};

export type PruneResult = { toolCalls: number; adminEvents: number };

/**
 * Deletes call-log and admin-trail rows older than the cutoff, in bounded batches. Each batch locks
 * the rows it picks with SKIP LOCKED, so two instances pruning at once take different rows instead
 * of waiting on each other, and neither deletes a row twice.
 */
export async function pruneAuditRows(db: Database, options: PruneOptions): Promise<PruneResult> {
  const batchSize = options.batchSize ?? 5_000;
  const maxBatches = options.maxBatches ?? 200;
  const result: PruneResult = { toolCalls: 0, adminEvents: 0 };
  for (const [name, table] of [
    ["toolCalls", toolCalls],
    ["adminEvents", adminEvents],
  ] as const) {
    for (let batch = 0; batch < maxBatches; batch += 1) {
      const doomed = db
        .select({ id: table.id })
        .from(table)
        .where(lt(table.at, options.cutoff))
        .limit(batchSize)
        .for("update", { skipLocked: true });
      const deleted = await db.delete(table).where(inArray(table.id, doomed)).returning({ id: table.id });
      result[name] += deleted.length;
      if (deleted.length < batchSize) break;
    }
  }
  return result;
}
