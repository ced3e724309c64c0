import { randomBytes } from "node:crypto";
import postgres from "postgres";

/** The PostgreSQL server the PostgreSQL pass runs against (DATABASE_URL), reached through its `postgres` database. */
function serverUrl(database: string): string {
  const url = new URL(process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates an empty database for one test and returns its URL and a function that drops it. */
export async function createScratchDatabase(
  label: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `mcphub_${label}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(serverUrl("postgres"), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  return {
    url: serverUrl(name),
    drop: async () => {
      const sql = postgres(serverUrl("postgres"), { max: 1, onnotice: () => {} });
      await sql.unsafe(`drop database if exists "${name}" with (force)`);
      await sql.end();
    },
  };
}
