import { and, desc, eq, gte, like, lte, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { adminEvents } from "@/lib/db/schema";
import {
  type Cursor,
  cursorSchema,
  dateParam,
  encodeCursor,
  formatParam,
  limitParam,
  parseQueryParams,
} from "./query-params";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ACTION_MESSAGE = "action is a verb such as server.update, or a prefix ending in a dot such as server.";

/** The filters of GET /api/v1/audit/admin-events and the trail view of /admin/audit. */
const adminEventFilters = z
  .object({
    actor: z
      .string()
      .trim()
      .min(1, { error: "actor must be a user id or an email" })
      .max(320, { error: "actor must be a user id or an email" })
      .optional(),
    action: z
      .string()
      .trim()
      .regex(/^[a-z]+(\.[a-z]+)*\.?$/, { error: ACTION_MESSAGE })
      .max(100, { error: ACTION_MESSAGE })
      .optional(),
    target: z
      .string()
      .trim()
      .min(1, { error: "target is the name or id of a server, group, user or key" })
      .max(320, { error: "target is the name or id of a server, group, user or key" })
      .optional(),
    from: dateParam("from"),
    to: dateParam("to"),
    limit: limitParam,
    cursor: cursorSchema,
    format: formatParam,
  })
  .strict();

export const adminEventQuerySchema = adminEventFilters.refine(
  (q) => !q.from || !q.to || q.from.getTime() <= q.to.getTime(),
  { error: "from must not be after to", path: ["from"] },
);
export type AdminEventQuery = z.output<typeof adminEventQuerySchema>;

export const ADMIN_EVENT_FILTERS = Object.keys(adminEventFilters.shape);

export function parseAdminEventQuery(params: URLSearchParams): AdminEventQuery {
  return parseQueryParams(adminEventQuerySchema, ADMIN_EVENT_FILTERS, params);
}

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
  if (query.cursor) filters.push(before(query.cursor));
  const rows = await db
    .select({ event: adminEvents, atText: sql<string>`${adminEvents.at}::text` })
    .from(adminEvents)
    .where(filters.length > 0 ? and(...filters) : undefined)
    .orderBy(desc(adminEvents.at), desc(adminEvents.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    events: page.map(({ event }) => ({
      id: event.id,
      at: event.at,
      actor: event.actorId || event.actorEmail ? { id: event.actorId, email: event.actorEmail } : null,
      action: event.action,
      targetType: event.targetType,
      targetId: event.targetId,
      targetName: event.targetName,
      details: event.details,
    })),
    nextCursor:
      rows.length > query.limit && last ? encodeCursor({ at: last.atText, id: last.event.id }) : null,
  };
}

function before(cursor: Cursor): SQL {
  return sql`(${adminEvents.at}, ${adminEvents.id}) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`;
}
