import { defineConfig } from "drizzle-kit";

// Migrations are generated against PostgreSQL's dialect and applied to both drivers
// (postgres.js and PGlite) by lib/db/migrate.ts.
export default defineConfig({
  dialect: "postgresql",
  schema: "./lib/db/schema.ts",
  out: "./drizzle",
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/mcphub" },
});
