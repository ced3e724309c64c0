import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

/** The folder drizzle-kit writes to; both drivers apply the same files. */
export const migrationsFolder = path.join(process.cwd(), "drizzle");

/** Arbitrary, fixed: every MCPHub process that migrates one PostgreSQL database takes this lock. */
const MIGRATION_LOCK_ID = 727_465_001;

/**
 * Applies pending migrations on PostgreSQL. Two hub instances starting at once against one
 * database serialize on an advisory lock held by a dedicated single connection, so the second
 * one finds the migrations already applied instead of racing on `CREATE TABLE`.
 */
export async function migratePostgresDatabase(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    try {
      await migratePostgres(drizzlePostgres({ client: sql }), { migrationsFolder });
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Applies pending migrations on an open PGlite database (one process owns it, so no lock). */
export async function migratePgliteDatabase(client: PGlite): Promise<void> {
  await migratePglite(drizzlePglite({ client }), { migrationsFolder });
}
