import type { FieldErrors } from "@/lib/errors";

/**
 * What a form's server action answers; `useActionState` renders it. `data` carries what a form
 * shows beyond a message, such as the tools a connection test listed or a key shown once.
 */
export type FormState<T = never> =
  | { status: "idle" }
  | { status: "success"; message: string; data?: T }
  | {
      status: "error";
      code: string;
      message: string;
      fieldErrors?: FieldErrors;
      /** What the person typed, put back into the form (React empties a form after its action). */
      values?: Record<string, string>;
      data?: T;
    };

export const idleState: FormState = { status: "idle" };

/** A form's text fields, for `values`; passwords are never sent back, nor Next.js' own `$ACTION` fields. */
export function submittedValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of formData) {
    if (typeof value === "string" && !name.startsWith("$") && !/password/i.test(name)) values[name] = value;
  }
  return values;
}
