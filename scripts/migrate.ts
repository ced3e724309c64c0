// npm run db:migrate - applies drizzle/ migrations to DATABASE_URL, or to the embedded PGlite database.
import { closeDb, getDatabaseDriver } from "../lib/db/index";

async function main() {
  const started = performance.now();
  try {
    const driver = await getDatabaseDriver();
    console.log(`migrations applied (${driver}) in ${Math.round(performance.now() - started)} ms`);
    await closeDb();
  } catch (error) {
    console.error("migration failed:", error instanceof Error ? error.message : error);
    process.exit(1);
  }
}

void main();
