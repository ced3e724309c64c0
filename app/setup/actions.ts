"use server";

import { type FormState, submittedValues } from "@/lib/auth/form-state";
import { signIn } from "@/lib/auth/index";
import { AppError } from "@/lib/errors";
import { completeSetup } from "@/lib/setup/setup-code";

/** Creates the first admin with the one-time code from the server log, then signs them in. */
export async function completeSetupAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const input = Object.fromEntries(formData);
  try {
    await completeSetup(input);
  } catch (error) {
    if (error instanceof AppError)
      return {
        status: "error",
        code: error.code,
        message: error.message,
        fieldErrors: error.fieldErrors,
        values: submittedValues(formData),
      };
    throw error;
  }
  await signIn("credentials", { email: input.email, password: input.password, redirectTo: "/admin/users" });
  return { status: "success", message: "Admin created" };
}
