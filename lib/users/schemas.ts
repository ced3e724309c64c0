import { z } from "zod";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password";

// The browser's own rule for `<input type="email">`, which, unlike zod's default, accepts a host
// without a dot: `admin@localhost` is the admin that `npm run quickstart` creates.
export const emailSchema = z
  .string({ error: "Enter an email address" })
  .trim()
  .toLowerCase()
  .pipe(
    z.email({ pattern: z.regexes.html5Email, error: "Enter a valid email address, such as ada@example.com" }),
  );

export const passwordSchema = z
  .string({ error: "Enter a password" })
  .min(MIN_PASSWORD_LENGTH, { error: `Use at least ${MIN_PASSWORD_LENGTH} characters` })
  .max(256, { error: "Use at most 256 characters" });

export const roleSchema = z.enum(["admin", "user"], { error: "Role must be admin or user" });

const nameSchema = z
  .string()
  .trim()
  .max(100, { error: "Use at most 100 characters" })
  .optional()
  .transform((value) => value || undefined);

export const createUserSchema = z.object({
  email: emailSchema,
  name: nameSchema,
  role: roleSchema.default("user"),
  password: passwordSchema.optional(),
});
export type CreateUserInput = z.input<typeof createUserSchema>;

export const updateUserSchema = z
  .object({
    name: nameSchema,
    role: roleSchema.optional(),
    disabled: z.boolean({ error: "disabled must be true or false" }).optional(),
    password: passwordSchema.optional(),
  })
  .strict();
export type UpdateUserInput = z.input<typeof updateUserSchema>;

export const setupSchema = z.object({
  code: z
    .string({ error: "Enter the setup code" })
    .trim()
    .min(1, { error: "Enter the setup code from the server log" }),
  email: emailSchema,
  name: nameSchema,
  password: passwordSchema,
});
