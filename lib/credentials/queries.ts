import { and, eq, gt, inArray } from "drizzle-orm";
import { z } from "zod";
import { broadcast, onClusterEvent } from "@/lib/cluster/bus";
import { getDb } from "@/lib/db";
import { type UserCredential, userCredentials } from "@/lib/db/schema";
import { AppError, parseInput } from "@/lib/errors";
import { getVault } from "@/lib/vault";

export const credentialNameSchema = z.string().regex(/^[A-Z][A-Z0-9_]{0,127}$/, {
  error: "Credential names are upper-case letters, digits and _, such as GITHUB_TOKEN",
});

export const credentialValueSchema = z
  .object({
    value: z
      .string({ error: "Send the value as a string" })
      .min(1, { error: "The value is empty" })
      .max(16_384, { error: "The value may be at most 16384 characters" })
      .refine((v) => !/[\r\n\0]/.test(v), {
        error: "The value contains a line break or NUL: tokens are a single line",
      }),
  })
  .strict();

/** What the person may see of a saved value: its last four characters, and only for long values. */
function hintOf(value: string): string {
  return value.length >= 12 ? `…${value.slice(-4)}` : "…";
}

export type CredentialSource = UserCredential["source"];
export type CredentialSummary = {
  name: string;
  hint: string;
  source: CredentialSource;
  createdAt: Date;
  updatedAt: Date;
};

const summaryColumns = {
  name: userCredentials.name,
  hint: userCredentials.hint,
  source: userCredentials.source,
  createdAt: userCredentials.createdAt,
  updatedAt: userCredentials.updatedAt,
};

export async function listCredentials(userId: string): Promise<CredentialSummary[]> {
  const db = await getDb();
  return db
    .select(summaryColumns)
    .from(userCredentials)
    .where(eq(userCredentials.userId, userId))
    .orderBy(userCredentials.name);
}

/**
 * Runs when a person's credential is set, replaced or removed, on this instance or another (their
 * connections and processes must restart with the new value).
 */
export function onCredentialChange(listener: (userId: string, name: string) => void): () => void {
  return onClusterEvent("credential-changed", ({ userId, name }) => listener(userId, name));
}

/** Seals and saves a person's credential; the value is never returned or logged afterwards. */
export async function setCredential(
  userId: string,
  rawName: string,
  input: unknown,
  source: CredentialSource = "manual",
): Promise<CredentialSummary> {
  const name = parseInput(credentialNameSchema, rawName);
  const { value } = parseInput(credentialValueSchema, input);
  const sealed = getVault().seal(value, userId, name);
  const db = await getDb();
  const now = new Date();
  const [row] = await db
    .insert(userCredentials)
    .values({ userId, name, sealedValue: sealed, hint: hintOf(value), source })
    .onConflictDoUpdate({
      target: [userCredentials.userId, userCredentials.name],
      set: { sealedValue: sealed, hint: hintOf(value), source, updatedAt: now },
    })
    .returning(summaryColumns);
  if (!row) throw new AppError("internal", "The credential could not be saved");
  broadcast({ kind: "credential-changed", userId, name });
  return row;
}

export async function deleteCredential(userId: string, rawName: string): Promise<void> {
  const name = parseInput(credentialNameSchema, rawName);
  const db = await getDb();
  const removed = await db
    .delete(userCredentials)
    .where(and(eq(userCredentials.userId, userId), eq(userCredentials.name, name)))
    .returning({ name: userCredentials.name });
  if (removed.length === 0) throw new AppError("not_found", `You have no credential named ${name}`);
  broadcast({ kind: "credential-changed", userId, name });
}

/**
 * Opens the named credentials of one person, for the upstream connection that needs them and
 * nothing else. Names the person has not linked are simply absent.
 */
export async function getCredentialValues(userId: string, names: string[]): Promise<Record<string, string>> {
  if (names.length === 0) return {};
  const db = await getDb();
  const rows = await db
    .select({ name: userCredentials.name, sealedValue: userCredentials.sealedValue })
    .from(userCredentials)
    .where(and(eq(userCredentials.userId, userId), inArray(userCredentials.name, names)));
  const vault = getVault();
  return Object.fromEntries(rows.map((row) => [row.name, vault.open(row.sealedValue, userId, row.name)]));
}

/** The credentials set or replaced after `since`, by anyone, on any instance (names only, never values). */
export async function credentialsChangedSince(
  since: Date,
): Promise<Array<{ userId: string; name: string; updatedAt: Date }>> {
  const db = await getDb();
  return db
    .select({
      userId: userCredentials.userId,
      name: userCredentials.name,
      updatedAt: userCredentials.updatedAt,
    })
    .from(userCredentials)
    .where(gt(userCredentials.updatedAt, since));
}
