import { and, eq } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { userCredentials } from "@/lib/db/schema";
import { getVault } from "@/lib/vault";

/**
 * Re-seals every credential that an older key (MCPHUB_SECRET_KEY_PREVIOUS) sealed under the
 * current MCPHUB_SECRET_KEY. A value that no configured key opens stops the run loudly.
 */
export async function rotateCredentials(): Promise<{ checked: number; resealed: number }> {
  const db = await getDb();
  const vault = getVault();
  const rows = await db.select().from(userCredentials);
  let resealed = 0;
  for (const row of rows) {
    if (!vault.isStale(row.sealedValue)) continue;
    const value = vault.open(row.sealedValue, row.userId, row.name);
    await db
      .update(userCredentials)
      .set({ sealedValue: vault.seal(value, row.userId, row.name) })
      .where(
        and(
          eq(userCredentials.userId, row.userId),
          eq(userCredentials.name, row.name),
          eq(userCredentials.sealedValue, row.sealedValue),
        ),
      );
    resealed++;
  }
  return { checked: rows.length, resealed };
}
