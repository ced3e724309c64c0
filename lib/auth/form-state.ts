import type { FieldErrors } from "@/lib/errors";

/** What a form's server action answers; `useActionState` renders it. */
export type FormState =
  | { status: "idle" }
  | { status: "success"; message: string }
  | { status: "error"; code: string; message: string; fieldErrors?: FieldErrors };

export const idleState: FormState = { status: "idle" };
