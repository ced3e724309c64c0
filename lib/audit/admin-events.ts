import { getDb } from "@/lib/db";
import { adminEvents, type User } from "@/lib/db/schema";
import { logger } from "@/lib/logger";

/** Who made an administrative change. `null` for the hub itself (first-run set-up, retention). */
export type AdminActor = Pick<User, "id" | "email"> | null;

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
