"use server";

import { AuthError } from "next-auth";
import { z } from "zod";
import { type FormState, submittedValues } from "@/lib/auth/form-state";
import { signIn, signOut } from "@/lib/auth/index";
import { emailSchema } from "@/lib/users/schemas";

const loginSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, { error: "Enter your password" }),
  next: z.string().optional(),
});

/** Only same-site paths: `next` comes from the URL and must not send people elsewhere. */
function safeNext(next: string | undefined): string {
  return next?.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
}

export async function signInWithPassword(_previous: FormState, formData: FormData): Promise<FormState> {
  const parsed = loginSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    return {
      status: "error",
      code: "validation_failed",
      message: "Check the highlighted fields",
      fieldErrors: z.flattenError(parsed.error).fieldErrors,
      values: submittedValues(formData),
    };
  }
  try {
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      redirectTo: safeNext(parsed.data.next),
    });
  } catch (error) {
    if (error instanceof AuthError) {
      const disabled =
        error.type === "CredentialsSignin" &&
        (error as AuthError & { code?: string }).code === "account_disabled";
      return disabled
        ? {
            status: "error",
            code: "account_disabled",
            message: "This account is disabled. Ask an admin to enable it.",
            values: submittedValues(formData),
          }
        : {
            status: "error",
            code: "invalid_credentials",
            message: "Wrong email or password.",
            values: submittedValues(formData),
          };
    }
    throw error;
  }
  return { status: "idle" };
}

export async function signInWithProvider(formData: FormData): Promise<void> {
  const provider = String(formData.get("provider") ?? "");
  await signIn(provider, { redirectTo: safeNext(String(formData.get("next") ?? "")) });
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/login" });
}
