import { z } from "zod";
import { AppError, type FieldErrors, parseInput } from "@/lib/errors";

/** A page boundary: the (at, id) of the last row shown, with `at` as PostgreSQL wrote it (microseconds). */
export type Cursor = { at: string; id: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
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
