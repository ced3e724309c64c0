import { and, desc, eq, gte, lte, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { apiKeys, toolCalls, users } from "@/lib/db/schema";
import { AppError, type FieldErrors, parseInput } from "@/lib/errors";
import { flushCallLog } from "@/lib/mcp/call-log";

export const CALL_STATUSES = ["ok", "tool_error", "error"] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const dateSchema = (field: string) =>
  z
    .string()
    .trim()
    .min(1, { error: `${field} must be a date, such as 2026-01-31 or 2026-01-31T12:00:00Z` })
    .pipe(z.coerce.date({ error: `${field} must be a date, such as 2026-01-31 or 2026-01-31T12:00:00Z` }))
    .optional();

/** The filters of GET /api/v1/audit, as query parameters. */
const auditFilters = z
  .object({
    user: z
      .string()
      .trim()
      .min(1, { error: "user must be a user id or an email" })
      .max(320, { error: "user must be a user id or an email" })
      .optional(),
    server: z.string().trim().min(1).max(200, { error: "server is a server name" }).optional(),
    tool: z.string().trim().min(1).max(256, { error: "tool is an upstream tool name" }).optional(),
    status: z.enum(CALL_STATUSES, { error: `status must be one of ${CALL_STATUSES.join(", ")}` }).optional(),
    from: dateSchema("from"),
    to: dateSchema("to"),
    limit: z.coerce
      .number({ error: "limit must be a whole number from 1 to 1000" })
      .int({ error: "limit must be a whole number from 1 to 1000" })
      .min(1, { error: "limit must be a whole number from 1 to 1000" })
      .max(1_000, { error: "limit must be a whole number from 1 to 1000" })
      .default(100),
  })
  .strict();

export const auditQuerySchema = auditFilters.refine(
  (q) => !q.from || !q.to || q.from.getTime() <= q.to.getTime(),
  {
    error: "from must not be after to",
    path: ["from"],
  },
);
export type AuditQuery = z.output<typeof auditQuerySchema>;

/** One call as the audit API answers it: who, with which key, what, how it ended. Never arguments or results. */
export type AuditRow = {
  id: string;
  at: Date;
  user: { id: string; email: string } | null;
  key: { id: string; name: string; partialKey: string } | null;
  server: string;
  serverId: string | null;
  tool: string;
  status: string;
  durationMs: number;
  errorClass: string | null;
  requestId: string;
  argumentBytes: number;
  resultBytes: number | null;
};

const FILTERS = Object.keys(auditFilters.shape);

/** Reads query parameters into filters; a parameter given twice or unknown is a validation error. */
export function parseAuditQuery(params: URLSearchParams): AuditQuery {
  const raw: Record<string, unknown> = {};
  const unknown: FieldErrors = {};
  for (const [name, value] of params) {
    if (!FILTERS.includes(name)) unknown[name] = [`Unknown filter: use ${FILTERS.join(", ")}`];
    else raw[name] = name in raw ? [raw[name], value].flat() : value;
  }
  if (Object.keys(unknown).length > 0)
    throw new AppError(
      "validation_failed",
      `Unknown filter ${Object.keys(unknown).join(", ")}: use ${FILTERS.join(", ")}`,
      unknown,
    );
  return parseInput(auditQuerySchema, raw);
}

/**
 * The call log, newest first. `user` matches a user id or an email (case-insensitive); `server` the
 * server's name as logged; `tool` the upstream tool name; `from` and `to` are inclusive.
 * Rows still queued in this instance are written first, so a call that was just answered is listed.
 */
export async function listToolCalls(query: AuditQuery): Promise<AuditRow[]> {
  await flushCallLog();
  const db = await getDb();
  const filters: SQL[] = [];
  if (query.user) {
    filters.push(
      UUID.test(query.user)
        ? eq(toolCalls.userId, query.user.toLowerCase())
        : eq(users.email, query.user.toLowerCase()),
    );
  }
  if (query.server) filters.push(eq(toolCalls.serverName, query.server));
  if (query.tool) filters.push(eq(toolCalls.tool, query.tool));
  if (query.status) filters.push(eq(toolCalls.status, query.status));
  if (query.from) filters.push(gte(toolCalls.at, query.from));
  if (query.to) filters.push(lte(toolCalls.at, query.to));
  const rows = await db
    .select({
      call: toolCalls,
      userEmail: users.email,
      keyName: apiKeys.name,
      keyPartial: apiKeys.partialKey,
    })
    .from(toolCalls)
    .leftJoin(users, eq(users.id, toolCalls.userId))
    .leftJoin(apiKeys, eq(apiKeys.id, toolCalls.keyId))
    .where(filters.length > 0 ? and(...filters) : undefined)
    .orderBy(desc(toolCalls.at), desc(toolCalls.id))
    .limit(query.limit);
  return rows.map(({ call, userEmail, keyName, keyPartial }) => ({
    id: call.id,
    at: call.at,
    user: call.userId && userEmail ? { id: call.userId, email: userEmail } : null,
    key:
      call.keyId && keyName !== null ? { id: call.keyId, name: keyName, partialKey: keyPartial ?? "" } : null,
    server: call.serverName,
    serverId: call.serverId,
    tool: call.tool,
    status: call.status,
    durationMs: call.durationMs,
    errorClass: call.errorClass,
    requestId: call.requestId,
    argumentBytes: call.argumentBytes,
    resultBytes: call.resultBytes,
  }));
}
