import { createHash, randomInt } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { hubSettings } from "@/lib/db/schema";
import { AppError, parseInput } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { countAdmins, createUser, getUserByEmail, type PublicUser } from "@/lib/users/queries";
import { setupSchema } from "@/lib/users/schemas";

const SETTING = "setup_code_sha256";
// No 0/O or 1/I/L: the code is read off a log and typed by hand.
const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

function hashCode(code: string): string {
  return createHash("sha256").update(code.trim().toUpperCase()).digest("hex");
}

function newCode(): string {
  const chars = Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return `${chars.slice(0, 4).join("")}-${chars.slice(4, 8).join("")}-${chars.slice(8).join("")}`;
}

export async function isSetupComplete(): Promise<boolean> {
  return (await countAdmins()) > 0;
}

/**
 * When the hub has no admin yet, makes a fresh one-time setup code, keeps only its hash and
 * prints the code in the server log for whoever runs the server. Returns the code (for the log).
 */
export async function issueSetupCode(setupUrl: string): Promise<string | undefined> {
  const db = await getDb();
  if (await isSetupComplete()) {
    await db.delete(hubSettings).where(eq(hubSettings.key, SETTING));
    return undefined;
  }
  const code = newCode();
  await db
    .insert(hubSettings)
    .values({ key: SETTING, value: hashCode(code) })
    .onConflictDoUpdate({ target: hubSettings.key, set: { value: hashCode(code), updatedAt: new Date() } });
  logger.warn(
    { setupCode: code, setupUrl },
    `No admin yet: open ${setupUrl} and enter the setup code ${code}`,
  );
  return code;
}

/** Creates the first admin with the one-time code; the code is consumed atomically, so it works once. */
export async function completeSetup(input: unknown): Promise<PublicUser> {
  const data = parseInput(setupSchema, input);
  if (await isSetupComplete()) {
    throw new AppError("conflict", "Setup is already complete: sign in instead");
  }
  if (await getUserByEmail(data.email)) {
    throw new AppError("conflict", "That email already belongs to an account", {
      email: ["This email is already in use"],
    });
  }
  const db = await getDb();
  const hash = hashCode(data.code);
  const consumed = await db
    .delete(hubSettings)
    .where(and(eq(hubSettings.key, SETTING), eq(hubSettings.value, hash)))
    .returning();
  if (consumed.length === 0) {
    throw new AppError("validation_failed", "The setup code is wrong or was already used", {
      code: [
        "Wrong or used code: copy the latest code from the server log (restarting the server prints a new one)",
      ],
    });
  }
  try {
    return await createUser(
      { email: data.email, name: data.name, password: data.password, role: "admin" },
      { actor: null, via: "setup" },
    );
  } catch (error) {
    // Put the code back so a failed attempt does not lock the hub out of its own setup.
    await db.insert(hubSettings).values({ key: SETTING, value: hash }).onConflictDoNothing();
    throw error;
  }
}
