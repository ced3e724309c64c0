import { sql } from "drizzle-orm";
import { busConnected } from "@/lib/cluster/bus";
import { getEnv } from "@/lib/config/env";
import { getDb } from "@/lib/db";
import { sandboxSummary } from "@/lib/processes/summary";
import packageJson from "@/package.json";

export type Health = {
  status: "ok" | "degraded";
  db: "ok" | "unreachable";
  version: string;
  /** Which sandbox layers isolated processes run under on this machine (details on /admin/processes). */
  sandbox: Record<"uid" | "namespaces" | "limits" | "cgroup", boolean>;
  /** This instance's MCPHUB_INSTANCE_ID, and whether it hears the other instances' changes. */
  cluster: { instance: string | null; listening: boolean };
};

/** Answers within `timeoutMs` even when the database hangs. */
export async function checkHealth(timeoutMs = 2_000): Promise<Health> {
  const probe = (async () => {
    const db = await getDb();
    await db.execute(sql`select 1`);
  })();
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error("timeout")), timeoutMs).unref(),
  );
  const db = await Promise.race([probe, timeout]).then(
    () => "ok" as const,
    () => "unreachable" as const,
  );
  return {
    status: db === "ok" ? "ok" : "degraded",
    db,
    version: packageJson.version,
    sandbox: sandboxSummary(),
    cluster: { instance: getEnv().MCPHUB_INSTANCE_ID ?? null, listening: busConnected() },
  };
}
