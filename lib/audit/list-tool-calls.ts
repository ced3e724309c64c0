import { and, desc, eq, gte, lte, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { apiKeys, toolCalls, users } from "@/lib/db/schema";
import { flushCallLog } from "@/lib/mcp/call-log";
import { keysetBefore, listingQuery, pageOf, textParam, UUID } from "./query-params";

export const CALL_STATUSES = ["ok", "tool_error", "input_required", "error", "rate_limited"] as const;

/** The filters of GET /api/v1/audit and /admin/audit, as query parameters. */
const auditListing = listingQuery({
  user: textParam("user must be a user id or an email", 320),
  server: textParam("server is a server name", 200),
  tool: textParam("tool is an upstream tool name", 256),
  status: z.enum(CALL_STATUSES, { error: `status must be one of ${CALL_STATUSES.join(", ")}` }).optional(),
});

export const auditQuerySchema = auditListing.schema;
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

export const AUDIT_FILTERS = auditListing.names;

/** Reads query parameters into filters; a parameter given twice or unknown is a validation error. */
export const parseAuditQuery = auditListing.parse;

/** One page of the call log and, when more rows match, the cursor of the next page. */
export type AuditPage = { calls: AuditRow[]; nextCursor: string | null };

/**
 * The call log, newest first, one page at a time. `user` matches a user id or an email
 * (case-insensitive); `server` the server's name as logged; `tool` the upstream tool name; `from`
 * and `to` are inclusive. Pages are keyset-paginated on (at, id), which the `at` index serves, so
 * page 1,000 costs what page 1 does and rows written meanwhile never shift a page.
 * Rows still queued in this instance are written first, so a call that was just answered is listed.
 */
export async function listToolCalls(query: Omit<AuditQuery, "format">): Promise<AuditPage> {
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
  if (query.cursor) filters.push(keysetBefore(toolCalls.at, toolCalls.id, query.cursor));
  const rows = await db
    .select({
      call: toolCalls,
      atText: sql<string>`${toolCalls.at}::text`,
      userEmail: users.email,
      keyName: apiKeys.name,
      keyPartial: apiKeys.partialKey,
    })
    .from(toolCalls)
    .leftJoin(users, eq(users.id, toolCalls.userId))
    .leftJoin(apiKeys, eq(apiKeys.id, toolCalls.keyId))
    .where(filters.length > 0 ? and(...filters) : undefined)
    .orderBy(desc(toolCalls.at), desc(toolCalls.id))
    .limit(query.limit + 1);
  const page = pageOf(rows, query.limit, (row) => ({ at: row.atText, id: row.call.id }));
  return {
    calls: page.rows.map(({ call, userEmail, keyName, keyPartial }) => ({
      id: call.id,
      at: call.at,
      user: call.userId && userEmail ? { id: call.userId, email: userEmail } : null,
      key:
        call.keyId && keyName !== null
          ? { id: call.keyId, name: keyName, partialKey: keyPartial ?? "" }
          : null,
      server: call.serverName,
      serverId: call.serverId,
      tool: call.tool,
      status: call.status,
      durationMs: call.durationMs,
      errorClass: call.errorClass,
      requestId: call.requestId,
      argumentBytes: call.argumentBytes,
      resultBytes: call.resultBytes,
    })),
    nextCursor: page.nextCursor,
  };
}
