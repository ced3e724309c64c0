import { getDb } from "@/lib/db";
import { logger } from "@/lib/logger";
import { pruneAuditRows } from "./prune";
import { getRetention } from "./retention";

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** One pass: deletes what is older than the retention, logging counts (never row contents). */
export async function pruneAuditLog(now = new Date()): Promise<{ toolCalls: number; adminEvents: number }> {
  const { days } = await getRetention();
  const cutoff = new Date(now.getTime() - days * DAY_MS);
  const result = await pruneAuditRows(await getDb(), { cutoff });
  if (result.toolCalls + result.adminEvents > 0)
    logger.info({ ...result, retentionDays: days, cutoff: cutoff.toISOString() }, "pruned the audit log");
  return result;
}

const JOB = Symbol.for("mcphub.auditPruneJob");
type WithJob = typeof globalThis & { [JOB]?: NodeJS.Timeout };

/**
 * Prunes once now and then every hour, once per process (Next.js may load this module twice). The
 * timer is unref'd so it never keeps a stopping server alive; a failed pass is logged and retried
 * on the next tick.
 */
export function startAuditPruneJob(): void {
  const holder = globalThis as WithJob;
  if (holder[JOB]) return;
  const run = () =>
    pruneAuditLog().catch((error: unknown) =>
      logger.error({ err: error instanceof Error ? error.message : String(error) }, "audit prune failed"),
    );
  holder[JOB] = setInterval(run, HOUR_MS);
  holder[JOB].unref();
  void run();
}
