import type { FieldErrors } from "@/lib/errors";

/**
 * What a form's server action answers; `useActionState` renders it. `data` carries what a form
 * shows beyond a message, such as the tools a connection test listed or a key shown once.
 */
export type FormState<T = never> =
  | { status: "idle" }
  | { status: "success"; message: string; data?: T }
  | { status: "error"; code: string; message: string; fieldErrors?: FieldErrors; data?: T };

export const idleState: FormState = { status: "idle" };
