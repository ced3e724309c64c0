import { type AnyColumn, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { AppError, type FieldErrors, parseInput } from "@/lib/errors";

/** A page boundary: the (at, id) of the last row shown, with `at` as PostgreSQL wrote it (microseconds). */
export type Cursor = { at: string; id: string };

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CURSOR_MESSAGE = "cursor must be the nextCursor of a previous page: start again without it";

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString("base64url");
}

/** An opaque cursor; anything not produced by encodeCursor is a validation error on `cursor`. */
export const cursorSchema = z
  .string()
  .max(200, { error: CURSOR_MESSAGE })
  .transform((value, ctx): Cursor => {
    try {
      const parsed: unknown = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
      if (
        Array.isArray(parsed) &&
        parsed.length === 2 &&
        typeof parsed[0] === "string" &&
        !Number.isNaN(Date.parse(parsed[0])) &&
        typeof parsed[1] === "string" &&
        UUID.test(parsed[1])
      )
        return { at: parsed[0], id: parsed[1].toLowerCase() };
    } catch {
      // Falls through to the one message below.
    }
    ctx.addIssue({ code: "custom", message: CURSOR_MESSAGE });
    return z.NEVER;
  })
  .optional();

export const dateParam = (field: string) =>
  z
    .string()
    .trim()
    .min(1, { error: `${field} must be a date, such as 2026-01-31 or 2026-01-31T12:00:00Z` })
    // A time without a zone (a datetime-local input) is UTC, as every page shows times in UTC.
    .transform((value) => (/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(value) ? `${value}Z` : value))
    .pipe(z.coerce.date({ error: `${field} must be a date, such as 2026-01-31 or 2026-01-31T12:00:00Z` }))
    .optional();

export const limitParam = z.coerce
  .number({ error: "limit must be a whole number from 1 to 1000" })
  .int({ error: "limit must be a whole number from 1 to 1000" })
  .min(1, { error: "limit must be a whole number from 1 to 1000" })
  .max(1_000, { error: "limit must be a whole number from 1 to 1000" })
  .default(100);

export const formatParam = z.enum(["json", "csv"], { error: "format must be json or csv" }).default("json");

/** A free-text filter: trimmed, 1 to `max` characters, one message for either bound. */
export const textParam = (message: string, max: number) =>
  z.string().trim().min(1, { error: message }).max(max, { error: message }).optional();

/**
 * The query of one audit listing: its own filters, plus the time range, page size, cursor and
 * format every listing takes (`from` after `to` is refused on `from`). Unknown or repeated
 * parameters are refused by name.
 */
export function listingQuery<Filters extends z.ZodRawShape>(filters: Filters) {
  const fields = z
    .object({
      ...filters,
      from: dateParam("from"),
      to: dateParam("to"),
      limit: limitParam,
      cursor: cursorSchema,
      format: formatParam,
    })
    .strict();
  // The generic shape hides from/to from TypeScript inside the refinement; they are there.
  const inOrder = (q: unknown) => {
    const { from, to } = q as { from?: Date; to?: Date };
    return !from || !to || from.getTime() <= to.getTime();
  };
  const schema = fields.refine(inOrder, { error: "from must not be after to", path: ["from"] });
  const names = Object.keys(fields.shape);
  return {
    schema,
    names,
    parse: (params: URLSearchParams): z.output<typeof schema> => parseQueryParams(schema, names, params),
  };
}

/** Rows strictly after the cursor in (at desc, id desc) order. */
export function keysetBefore(at: AnyColumn, id: AnyColumn, cursor: Cursor): SQL {
  return sql`(${at}, ${id}) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`;
}

/**
 * One page of rows fetched with `limit + 1`: the first `limit` rows, and the cursor of the next
 * page when the extra row shows there is one.
 */
export function pageOf<Row>(
  rows: Row[],
  limit: number,
  boundary: (row: Row) => Cursor,
): { rows: Row[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > limit && last ? encodeCursor(boundary(last)) : null };
}

/**
 * Reads query parameters into a schema's fields; an unknown parameter, or one given twice (which
 * zod then refuses as not a string), is a validation error naming it.
 */
export function parseQueryParams<T>(
  schema: Parameters<typeof parseInput<T>>[0],
  names: readonly string[],
  params: URLSearchParams,
): T {
  const raw: Record<string, unknown> = {};
  const unknown: FieldErrors = {};
  for (const [name, value] of params) {
    if (!names.includes(name)) unknown[name] = [`Unknown filter: use ${names.join(", ")}`];
    else raw[name] = name in raw ? [raw[name], value].flat() : value;
  }
  if (Object.keys(unknown).length > 0)
    throw new AppError(
      "validation_failed",
      `Unknown filter ${Object.keys(unknown).join(", ")}: use ${names.join(", ")}`,
      unknown,
    );
  return parseInput(schema, raw);
}

/** The form's empty fields dropped, so a GET form's blank inputs mean "any" rather than an error. */
export function withoutEmpty(params: Record<string, string | string[] | undefined>): URLSearchParams {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    for (const one of [value ?? []].flat()) if (one.trim() !== "") search.append(name, one);
  return search;
}

/** A cursor this hub encoded (the next page of an export in progress). */
export function decodeCursor(value: string): Cursor {
  const cursor = cursorSchema.parse(value);
  if (!cursor) throw new AppError("validation_failed", CURSOR_MESSAGE, { cursor: [CURSOR_MESSAGE] });
  return cursor;
}
