import { type CsvColumn, csvResponse } from "./csv";
import { type AdminEventQuery, type AdminEventRow, listAdminEvents } from "./list-admin-events";
import { type AuditQuery, type AuditRow, listToolCalls } from "./list-tool-calls";
import { decodeCursor as decode } from "./query-params";

const CALL_COLUMNS: CsvColumn<AuditRow>[] = [
  { header: "at", value: (r) => r.at },
  { header: "user_email", value: (r) => r.user?.email },
  { header: "user_id", value: (r) => r.user?.id },
  { header: "key_name", value: (r) => r.key?.name },
  { header: "key_hint", value: (r) => r.key?.partialKey },
  { header: "server", value: (r) => r.server },
  { header: "tool", value: (r) => r.tool },
  { header: "status", value: (r) => r.status },
  { header: "duration_ms", value: (r) => r.durationMs },
  { header: "error_class", value: (r) => r.errorClass },
  { header: "request_id", value: (r) => r.requestId },
  { header: "argument_bytes", value: (r) => r.argumentBytes },
  { header: "result_bytes", value: (r) => r.resultBytes },
  { header: "id", value: (r) => r.id },
];

const EVENT_COLUMNS: CsvColumn<AdminEventRow>[] = [
  { header: "at", value: (r) => r.at },
  { header: "actor_email", value: (r) => r.actor?.email ?? "(the hub)" },
  { header: "actor_id", value: (r) => r.actor?.id },
  { header: "action", value: (r) => r.action },
  { header: "target_type", value: (r) => r.targetType },
  { header: "target_name", value: (r) => r.targetName },
  { header: "target_id", value: (r) => r.targetId },
  { header: "details", value: (r) => r.details },
  { header: "id", value: (r) => r.id },
];

const stamp = () => new Date().toISOString().slice(0, 19).replaceAll(":", "-");

/** The call log under these filters as CSV, newest first, every page (the query's limit is the page size). */
export function exportToolCallsCsv(query: Omit<AuditQuery, "format">): Response {
  return csvResponse(`mcphub-calls-${stamp()}.csv`, CALL_COLUMNS, async (cursor, limit) => {
    const page = await listToolCalls({ ...query, cursor: cursor ? decode(cursor) : query.cursor, limit });
    return { rows: page.calls, nextCursor: page.nextCursor };
  });
}

export function exportAdminEventsCsv(query: Omit<AdminEventQuery, "format">): Response {
  return csvResponse(`mcphub-admin-events-${stamp()}.csv`, EVENT_COLUMNS, async (cursor, limit) => {
    const page = await listAdminEvents({ ...query, cursor: cursor ? decode(cursor) : query.cursor, limit });
    return { rows: page.events, nextCursor: page.nextCursor };
  });
}
