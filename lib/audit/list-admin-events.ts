import { and, desc, eq, gte, like, lte, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { adminEvents } from "@/lib/db/schema";
import { keysetBefore, listingQuery, pageOf, textParam, UUID } from "./query-params";

const ACTION_MESSAGE = "action is a verb such as server.update, or a prefix ending in a dot such as server.";

/** The filters of GET /api/v1/audit/admin-events and the trail view of /admin/audit. */
const adminEventListing = listingQuery({
  actor: textParam("actor must be a user id or an email", 320),
  action: z
    .string()
    .trim()
    .regex(/^[a-z]+(\.[a-z]+)*\.?$/, { error: ACTION_MESSAGE })
    .max(100, { error: ACTION_MESSAGE })
    .optional(),
  target: textParam("target is the name or id of a server, group, user or key", 320),
});
export const adminEventQuerySchema = adminEventListing.schema;
export type AdminEventQuery = z.output<typeof adminEventQuerySchema>;
export const ADMIN_EVENT_FILTERS = adminEventListing.names;
export const parseAdminEventQuery = adminEventListing.parse;

export type AdminEventRow = {
  id: string;
  at: Date;
  actor: { id: string | null; email: string | null } | null;
  action: string;
  targetType: string;
  targetId: string | null;
  targetName: string | null;
  details: Record<string, unknown> | null;
};

export type AdminEventPage = { events: AdminEventRow[]; nextCursor: string | null };

/**
 * The administrative trail, newest first, keyset-paginated on (at, id). `actor` is an id or an
 * email (kept on the row, so it still matches after the account is deleted); `action` is exact, or
 * a prefix when it ends in a dot; `target` matches the target's name or id.
 */
export async function listAdminEvents(query: Omit<AdminEventQuery, "format">): Promise<AdminEventPage> {
  const db = await getDb();
  const filters: SQL[] = [];
  if (query.actor)
    filters.push(
      UUID.test(query.actor)
        ? eq(adminEvents.actorId, query.actor.toLowerCase())
        : eq(adminEvents.actorEmail, query.actor.toLowerCase()),
    );
  if (query.action)
    filters.push(
      query.action.endsWith(".")
        ? like(adminEvents.action, `${query.action}%`)
        : eq(adminEvents.action, query.action),
    );
  if (query.target) {
    const byName = eq(adminEvents.targetName, query.target);
    filters.push(
      UUID.test(query.target)
        ? (or(byName, eq(adminEvents.targetId, query.target.toLowerCase())) as SQL)
        : byName,
    );
  }
  if (query.from) filters.push(gte(adminEvents.at, query.from));
  if (query.to) filters.push(lte(adminEvents.at, query.to));
  if (query.cursor) filters.push(keysetBefore(adminEvents.at, adminEvents.id, query.cursor));
  const rows = await db
    .select({ event: adminEvents, atText: sql<string>`${adminEvents.at}::text` })
    .from(adminEvents)
    .where(filters.length > 0 ? and(...filters) : undefined)
    .orderBy(desc(adminEvents.at), desc(adminEvents.id))
    .limit(query.limit + 1);
  const page = pageOf(rows, query.limit, (row) => ({ at: row.atText, id: row.event.id }));
  return {
    events: page.rows.map(({ event }) => ({
      id: event.id,
      at: event.at,
      actor: event.actorId || event.actorEmail ? { id: event.actorId, email: event.actorEmail } : null,
      action: event.action,
      targetType: event.targetType,
      targetId: event.targetId,
      targetName: event.targetName,
      details: event.details,
    })),
    nextCursor: page.nextCursor,
  };
}
