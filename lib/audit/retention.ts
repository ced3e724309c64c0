import { eq } from "drizzle-orm";
import { z } from "zod";
import { getEnv } from "@/lib/config/env";
import { getDb } from "@/lib/db";
import { hubSettings } from "@/lib/db/schema";
import { AppError, parseInput } from "@/lib/errors";
import { type Actor, recordAdminEvent } from "./admin-events";

export const DEFAULT_RETENTION_DAYS = 90;
const SETTING = "audit_retention_days";
const MESSAGE = "Keep the audit log for a whole number of days from 1 to 3650, such as 90";

export const retentionInputSchema = z
  .object({
    days: z.coerce.number({ error: MESSAGE }).int({ error: MESSAGE }).min(1, { error: MESSAGE }).max(3650, {
      error: MESSAGE,
    }),
  })
  .strict();

export type Retention = {
  days: number;
  /** env: MCPHUB_AUDIT_RETENTION_DAYS decides and the admin setting is ignored; setting: /admin/settings; default: neither. */
  source: "env" | "setting" | "default";
};

/** How long the call log and the admin trail are kept. */
export async function getRetention(): Promise<Retention> {
  const fromEnv = getEnv().MCPHUB_AUDIT_RETENTION_DAYS;
  if (fromEnv !== undefined) return { days: fromEnv, source: "env" };
  const db = await getDb();
  const [row] = await db.select().from(hubSettings).where(eq(hubSettings.key, SETTING)).limit(1);
  const stored = Number(row?.value);
  return Number.isInteger(stored) && stored >= 1
    ? { days: stored, source: "setting" }
    : { days: DEFAULT_RETENTION_DAYS, source: "default" };
}

/** Admin: sets the retention; refused while the environment variable decides, so the page never lies. */
export async function setRetention(actor: Actor, input: unknown): Promise<Retention> {
  if (actor.role !== "admin") throw new AppError("forbidden", "Only admins can change the audit retention");
  const { days } = parseInput(retentionInputSchema, input);
  const before = await getRetention();
  if (before.source === "env")
    throw new AppError(
      "conflict",
      `MCPHUB_AUDIT_RETENTION_DAYS sets the retention to ${before.days} days: change or unset it in the hub's environment`,
      { days: ["Set by MCPHUB_AUDIT_RETENTION_DAYS in the environment"] },
    );
  const db = await getDb();
  await db
    .insert(hubSettings)
    .values({ key: SETTING, value: String(days) })
    .onConflictDoUpdate({ target: hubSettings.key, set: { value: String(days), updatedAt: new Date() } });
  if (before.days !== days)
    await recordAdminEvent(actor, {
      action: "settings.retention",
      targetType: "settings",
      targetName: "audit retention",
      details: { changed: ["days"], values: { days: { from: before.days, to: days } } },
    });
  return { days, source: "setting" };
}
