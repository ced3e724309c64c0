import { isDeepStrictEqual } from "node:util";
import { getDb } from "@/lib/db";
import { adminEvents, type User } from "@/lib/db/schema";
import { logger } from "@/lib/logger";

/** Who made an administrative change. `null` for the hub itself (first-run set-up, retention). */
export type AdminActor = Pick<User, "id" | "email"> | null;

/** The person lib/ functions check the role of and name in the trail. */
export type Actor = Pick<User, "id" | "email" | "role">;

export type AdminEventInput = {
  /** A dotted verb such as `server.create`, `group.update`, `user.disable`, `settings.import`. */
  action: string;
  targetType: string;
  targetId?: string | null;
  targetName?: string | null;
  /** A small summary of what changed: field names and non-secret values, never a credential or a key. */
  details?: Record<string, unknown>;
};

/**
 * Writes one row of the administrative trail. Awaited (admin changes are rare and must not be
 * lost), but a failure to write the trail is logged rather than undoing a change already made.
 */
export async function recordAdminEvent(actor: AdminActor, event: AdminEventInput): Promise<void> {
  try {
    const db = await getDb();
    await db.insert(adminEvents).values({
      actorId: actor?.id ?? null,
      actorEmail: actor?.email ?? null,
      action: event.action,
      targetType: event.targetType,
      targetId: event.targetId ?? null,
      targetName: event.targetName ?? null,
      details: event.details ?? null,
    });
  } catch (error) {
    logger.error(
      { err: error instanceof Error ? error.message : String(error), action: event.action },
      "could not write the admin trail",
    );
  }
}

/**
 * What changed between two versions of a record, for `details`: the names of every changed field,
 * and before/after values only for the fields listed as safe. Anything else (a server's env,
 * headers, args or URL, where an admin may have typed a literal secret) is named, never copied.
 */
export function describeChanges(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  safe: readonly string[],
): { changed: string[]; values?: Record<string, { from: unknown; to: unknown }> } {
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const changed = fields.filter((field) => !isDeepStrictEqual(before[field], after[field]));
  const values: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of changed)
    if (safe.includes(field)) values[field] = { from: before[field] ?? null, to: after[field] ?? null };
  return Object.keys(values).length > 0 ? { changed, values } : { changed };
}

/** The listed fields of a record, for `details` on creation; the same rule as describeChanges. */
export function pickSafe(record: Record<string, unknown>, safe: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(safe.filter((field) => record[field] !== undefined).map((f) => [f, record[f]]));
}
