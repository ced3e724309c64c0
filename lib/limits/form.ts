import { getDb } from "@/lib/db";
import { servers } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { getUserByEmail } from "@/lib/users/queries";
import type { CreateRateLimitInput } from "./schemas";

const text = (formData: FormData, name: string) => String(formData.get(name) ?? "").trim();

/** A number when the field holds one, else the text as typed, so the schema's message explains it. */
export function formNumber(value: string): number | string {
  return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
}

/**
 * The /admin/limits form as the create schema's input: a person is named by email there (ids are
 * for the API), an empty email is the default for every person.
 */
export async function parseLimitForm(formData: FormData): Promise<CreateRateLimitInput> {
  const scope = text(formData, "scope") as CreateRateLimitInput["scope"];
  const callsPerMinute = formNumber(text(formData, "callsPerMinute")) as number;
  if (scope === "server") {
    const server = text(formData, "server");
    return { scope, callsPerMinute, ...(server && { server }) };
  }
  const email = text(formData, "user");
  if (!email) return { scope, callsPerMinute, userId: null };
  const user = await getUserByEmail(email);
  if (!user)
    throw new AppError("validation_failed", `No person with the email ${email}`, {
      user: [`No person with the email ${email}: add them on Users first, or leave it empty for everyone`],
    });
  return { scope, callsPerMinute, userId: user.id };
}

/** Server names for the form's list, enabled or not (a limit may be set before enabling). */
export async function serverNames(): Promise<string[]> {
  const db = await getDb();
  const rows = await db.select({ name: servers.name }).from(servers).orderBy(servers.name);
  return rows.map((row) => row.name);
}
