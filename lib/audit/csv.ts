/** The most rows one export holds; a wider range is exported in parts by narrowing from/to. */
export const MAX_EXPORT_ROWS = 100_000;
const PAGE_ROWS = 1_000;

/**
 * One CSV cell. A text starting with = + - @, a tab or a carriage return is prefixed with an
 * apostrophe, so a spreadsheet shows it instead of running it as a formula (a tool or server name
 * is chosen by whoever runs the upstream, and a person's name by the person).
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text =
    value instanceof Date
      ? value.toISOString()
      : typeof value === "object"
        ? JSON.stringify(value)
        : String(value);
  // Only text: a number the hub wrote (a duration, a size) is a value, not something typed by a person.
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(cells: unknown[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

export type CsvColumn<Row> = { header: string; value: (row: Row) => unknown };

/**
 * Streams every page of a keyset-paginated listing as CSV, a page at a time, so an export never
 * holds more than one page in memory; stops after MAX_EXPORT_ROWS rows.
 */
export function csvResponse<Row>(
  filename: string,
  columns: CsvColumn<Row>[],
  fetchPage: (
    cursor: string | undefined,
    limit: number,
  ) => Promise<{ rows: Row[]; nextCursor: string | null }>,
): Response {
  const encoder = new TextEncoder();
  let cursor: string | undefined;
  let sent = 0;
  let started = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(csvLine(columns.map((c) => c.header))));
        return;
      }
      const { rows, nextCursor } = await fetchPage(cursor, Math.min(PAGE_ROWS, MAX_EXPORT_ROWS - sent));
      sent += rows.length;
      if (rows.length > 0)
        controller.enqueue(
          encoder.encode(rows.map((row) => csvLine(columns.map((c) => c.value(row)))).join("")),
        );
      if (!nextCursor || sent >= MAX_EXPORT_ROWS) controller.close();
      else cursor = nextCursor;
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
}
