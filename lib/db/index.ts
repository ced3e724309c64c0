import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { getEnv } from "@/lib/config/env";
import { logger } from "@/lib/logger";
import { migratePgliteDatabase, migratePostgresDatabase } from "./migrate";
import { shareEventLoop } from "./pglite-turns";
import * as schema from "./schema";

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

type OpenDatabase = {
  db: Database;
  driver: "postgres" | "pglite";
  /** The postgres.js client (PostgreSQL only): LISTEN/NOTIFY for the cluster bus. */
  sql?: postgres.Sql;
  close: () => Promise<void>;
};

// Next.js may load this module more than once (instrumentation, route bundles); one process must
// still hold exactly one database handle, and PGlite must never be opened twice on one folder.
const holder = globalThis as typeof globalThis & { __mcphubDatabase?: Promise<OpenDatabase> };

/** The hub's database, opened and migrated on first use. */
export async function getDb(): Promise<Database> {
  return (await openOnce()).db;
}

export async function getDatabaseDriver(): Promise<OpenDatabase["driver"]> {
  return (await openOnce()).driver;
}

/** The raw postgres.js client when the hub runs on PostgreSQL; undefined on PGlite. */
export async function getPostgresClient(): Promise<postgres.Sql | undefined> {
  return (await openOnce()).sql;
}

function openOnce(): Promise<OpenDatabase> {
  holder.__mcphubDatabase ??= openDatabase().catch((error) => {
    holder.__mcphubDatabase = undefined;
    throw error;
  });
  return holder.__mcphubDatabase;
}

async function openDatabase(): Promise<OpenDatabase> {
  const env = getEnv();
  const started = performance.now();
  if (env.DATABASE_URL) {
    await migratePostgresDatabase(env.DATABASE_URL);
    const client = postgres(env.DATABASE_URL, {
      max: 10,
      onnotice: () => {},
      connect_timeout: 10,
      // postgres.js waits up to 20 s (3^attempt / 100 s) before reconnecting after failed attempts:
      // after a 5 s restart the hub stayed unusable for 10-17 s more (tests/api/faults-database.spec.ts).
      // Reconnecting is cheap: the wait is capped at one second.
      backoff: (attempt: number) => Math.min(0.05 * 2 ** attempt, 1),
    });
    const db = drizzlePostgres({ client, schema }) as unknown as Database;
    logger.info({ driver: "postgres", ms: Math.round(performance.now() - started) }, "database ready");
    return { db, driver: "postgres", sql: client, close: () => client.end({ timeout: 5 }) };
  }
  const dir = path.resolve(env.MCPHUB_DATA_DIR, "pglite");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const client = shareEventLoop(await PGlite.create(dir, { startParams: PGLITE_START_PARAMS }));
  await migratePgliteDatabase(client);
  const db = drizzlePglite({ client, schema }) as unknown as Database;
  logger.info({ driver: "pglite", dir, ms: Math.round(performance.now() - started) }, "database ready");
  return { db, driver: "pglite", close: () => client.close() };
}

/**
 * PostgreSQL's default 128 MB buffer pool is touched when PGlite starts, inside the hub's own
 * process: the embedded database's share of the hub's memory fell from about 350 to about 230 MB
 * with 32 MB (docs/decisions/0014-memory-under-load.md). Its files live on the host's file
 * system, so pages that do not fit are read back from the operating system's cache.
 */
const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, "-c", "shared_buffers=32MB"];

/** Closes the database (tests and graceful shutdown). */
export async function closeDb(): Promise<void> {
  const open = holder.__mcphubDatabase;
  holder.__mcphubDatabase = undefined;
  if (open) await (await open).close();
}

export { schema };
