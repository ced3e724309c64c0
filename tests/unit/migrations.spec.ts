import { PGlite } from "@electric-sql/pglite";
import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { migratePgliteDatabase, migratePostgresDatabase } from "@/lib/db/migrate";
import { createScratchDatabase } from "../support/postgres";

const expectedTables = [
  "api_keys",
  "group_members",
  "group_servers",
  "groups",
  "hub_settings",
  "servers",
  "user_identities",
  "users",
];

test.describe("migrations on PGlite", () => {
  test("apply from empty, and a second run changes nothing", async () => {
    const client = await PGlite.create();
    try {
      await migratePgliteDatabase(client);
      await migratePgliteDatabase(client);
      const { rows } = await client.query<{ table_name: string }>(
        "select table_name from information_schema.tables where table_schema = 'public' order by table_name",
      );
      expect(rows.map((row) => row.table_name)).toEqual(expectedTables);
      const applied = await client.query("select * from drizzle.__drizzle_migrations");
      expect(applied.rows.length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });
});

test.describe("migrations on PostgreSQL @postgres", () => {
  test("apply from empty, twice in a row", async () => {
    const scratch = await createScratchDatabase("migrate");
    try {
      await migratePostgresDatabase(scratch.url);
      await migratePostgresDatabase(scratch.url);
      const sql = postgres(scratch.url, { max: 1 });
      const tables = await sql<
        { table_name: string }[]
      >`select table_name from information_schema.tables where table_schema = 'public' order by table_name`;
      const applied = await sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
      await sql.end();
      expect(tables.map((row) => row.table_name)).toEqual(expectedTables);
      expect(applied[0]?.n).toBeGreaterThan(0);
    } finally {
      await scratch.drop();
    }
  });

  test("two migrators starting at once both succeed and apply each migration once", async () => {
    const scratch = await createScratchDatabase("concurrent");
    try {
      await Promise.all([
        migratePostgresDatabase(scratch.url),
        migratePostgresDatabase(scratch.url),
        migratePostgresDatabase(scratch.url),
      ]);
      const sql = postgres(scratch.url, { max: 1 });
      const applied = await sql<{ hash: string }[]>`select hash from drizzle.__drizzle_migrations`;
      await sql.end();
      expect(new Set(applied.map((row) => row.hash)).size).toBe(applied.length);
    } finally {
      await scratch.drop();
    }
  });
});
