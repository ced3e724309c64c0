import { type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Database } from "@/lib/db";
import { toolCalls } from "@/lib/db/schema";
import { storableText } from "@/lib/db/storable";

export type CallRecord = typeof toolCalls.$inferInsert;

type Cell = string | number | null | undefined;

/** Every column a call row carries (the id is the table's default), with its PostgreSQL type. */
const COLUMNS: Array<{ column: PgColumn; type: string; cell: (row: CallRecord) => Cell }> = [
  { column: toolCalls.at, type: "timestamptz", cell: (row) => (row.at ?? new Date()).toISOString() },
  { column: toolCalls.userId, type: "uuid", cell: (row) => row.userId },
  { column: toolCalls.keyId, type: "uuid", cell: (row) => row.keyId },
  { column: toolCalls.serverId, type: "uuid", cell: (row) => row.serverId },
  { column: toolCalls.serverName, type: "text", cell: (row) => row.serverName },
  { column: toolCalls.tool, type: "text", cell: (row) => row.tool },
  { column: toolCalls.status, type: "text", cell: (row) => row.status },
  { column: toolCalls.durationMs, type: "integer", cell: (row) => row.durationMs },
  { column: toolCalls.errorClass, type: "text", cell: (row) => row.errorClass },
  { column: toolCalls.requestId, type: "text", cell: (row) => row.requestId },
  { column: toolCalls.argumentBytes, type: "integer", cell: (row) => row.argumentBytes },
  { column: toolCalls.resultBytes, type: "integer", cell: (row) => row.resultBytes },
];

const COLUMN_LIST = sql.join(
  COLUMNS.map(({ column }) => sql.identifier(column.name)),
  sql`, `,
);

/**
 * A PostgreSQL array literal: each element double-quoted with its backslashes and quotes escaped,
 * so commas, braces, quotes and the word NULL stay text; a missing value is an unquoted NULL. A NUL
 * an upstream put in a tool name becomes U+FFFD: PostgreSQL would refuse the whole batch, everyone's
 * calls with it.
 */
export function arrayLiteral(cells: Cell[]): string {
  const elements = cells.map((cell) =>
    cell === null || cell === undefined
      ? "NULL"
      : `"${storableText(String(cell)).replace(/[\\"]/g, "\\$&")}"`,
  );
  return `{${elements.join(",")}}`;
}

/**
 * Writes a batch of call rows in one statement whose size does not grow with the batch: each
 * column travels as one array parameter, unnested into rows. Drizzle's multi-row insert built a
 * parameter (and its SQL chunks) for each of the 12 values of every row: at one client that cost
 * the hub about 0.1 ms of CPU per logged call (docs/performance.md). The same text on both drivers.
 */
export async function insertCallRows(db: Database, rows: CallRecord[]): Promise<void> {
  if (rows.length === 0) return;
  const arrays: SQL[] = COLUMNS.map(
    ({ type, cell }) => sql`${arrayLiteral(rows.map(cell))}::${sql.raw(type)}[]`,
  );
  await db.execute(
    sql`insert into ${toolCalls} (${COLUMN_LIST}) select * from unnest(${sql.join(arrays, sql`, `)})`,
  );
}
