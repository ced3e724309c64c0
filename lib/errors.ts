import type { ZodError } from "zod";
import { fieldsWithNul } from "@/lib/db/storable";

export type ErrorCode =
  | "bad_request"
  | "validation_failed"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "payload_too_large"
  | "unavailable"
  | "internal";

const statusByCode: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unavailable: 503,
  internal: 500,
};

/** Field-level messages, keyed by the input field they are about. */
export type FieldErrors = Record<string, string[]>;

/**
 * The one error type that lib/ throws for problems a caller can fix. Its message is shown to
 * people as it is, so it names the fix; anything else is logged and answered generically.
 */
export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fieldErrors?: FieldErrors,
  ) {
    super(message);
  }

  get status(): number {
    return statusByCode[this.code];
  }

  static fromZod(error: ZodError, message = "Some fields need fixing"): AppError {
    const fieldErrors: FieldErrors = {};
    for (const issue of error.issues) {
      const field = issue.path.join(".") || "body";
      fieldErrors[field] = [...(fieldErrors[field] ?? []), issue.message];
    }
    const detail = Object.entries(fieldErrors)
      .map(([field, messages]) => `${field}: ${messages.join(", ")}`)
      .join("; ");
    return new AppError("validation_failed", `${message}: ${detail}`, fieldErrors);
  }
}

/**
 * Parses `input` with a zod schema, turning failures into a field-level AppError. Text with a NUL
 * character is refused too, after the schema (whose own message wins): PostgreSQL cannot store
 * one, so it would otherwise end as a database error.
 */
export function parseInput<T>(
  schema: { safeParse(input: unknown): { success: true; data: T } | { success: false; error: ZodError } },
  input: unknown,
): T {
  const result = schema.safeParse(input);
  if (!result.success) throw AppError.fromZod(result.error);
  const withNul = fieldsWithNul(result.data);
  if (withNul.length > 0) {
    const message = "Remove the NUL character (\\u0000): text cannot contain one";
    throw new AppError(
      "validation_failed",
      `Some fields need fixing: ${withNul.map((field) => `${field}: ${message}`).join("; ")}`,
      Object.fromEntries(withNul.map((field) => [field, [message]])),
    );
  }
  return result.data;
}
