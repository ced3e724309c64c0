import { randomBytes } from "node:crypto";
import postgres from "postgres";

/** Where the benchmarks make their scratch databases when asked to run on PostgreSQL. */
export const DEFAULT_DATABASE_SERVER = "postgres://postgres@127.0.0.1:5432";

export type ScratchDatabase = {
  /** What a hub needs in its environment to use it: DATABASE_URL and the secrets it then requires. */
  env: Record<string, string>;
  drop: () => Promise<void>;
};

/**
 * A fresh database on the PostgreSQL server at `server`, dropped afterwards; a hub outside the
 * embedded mode also needs its vault and session secrets given, so they come with it (one set per
 * database: every instance on it must share them).
 */
export async function createScratchDatabase(server: string, label: string): Promise<ScratchDatabase> {
  const name = `mcphub_${label}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(`${server}/postgres`, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  return {
    env: {
      DATABASE_URL: `${server}/${name}`,
      MCPHUB_SECRET_KEY: randomBytes(32).toString("base64"),
      AUTH_SECRET: randomBytes(32).toString("base64"),
    },
    drop: async () => {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}

/** The embedded PGlite: nothing to create, nothing to drop. */
export const EMBEDDED: ScratchDatabase = { env: {}, drop: async () => {} };
