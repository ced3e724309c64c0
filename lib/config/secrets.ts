import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { logger } from "@/lib/logger";
import { ConfigError, getEnv, type HubEnv, isEmbedded } from "./env";

export type HubSecrets = { authSecret: string; secretKey: string };

const storedSecretsSchema = z.object({
  AUTH_SECRET: z.string().min(32),
  MCPHUB_SECRET_KEY: z.string().min(40),
});

/**
 * Resolves AUTH_SECRET and MCPHUB_SECRET_KEY. In embedded mode a missing one is generated once into
 * `$MCPHUB_DATA_DIR/secrets.json` (mode 0600) and reused on every start; with DATABASE_URL set the
 * hub refuses to start without them, because a generated secret would differ between instances.
 */
export function resolveSecrets(env: HubEnv = getEnv()): HubSecrets {
  if (env.AUTH_SECRET && env.MCPHUB_SECRET_KEY) {
    return { authSecret: env.AUTH_SECRET, secretKey: env.MCPHUB_SECRET_KEY };
  }
  if (!isEmbedded(env)) {
    const missing = [!env.AUTH_SECRET && "AUTH_SECRET", !env.MCPHUB_SECRET_KEY && "MCPHUB_SECRET_KEY"].filter(
      Boolean,
    );
    throw new ConfigError(
      `${missing.join(" and ")} must be set when DATABASE_URL is set (generate each with \`openssl rand -base64 32\`)`,
    );
  }
  const stored = readOrCreateStoredSecrets(env.MCPHUB_DATA_DIR);
  return {
    authSecret: env.AUTH_SECRET ?? stored.AUTH_SECRET,
    secretKey: env.MCPHUB_SECRET_KEY ?? stored.MCPHUB_SECRET_KEY,
  };
}

function readOrCreateStoredSecrets(dataDir: string) {
  const file = path.resolve(dataDir, "secrets.json");
  try {
    const parsed = storedSecretsSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
    if (!parsed.success)
      throw new ConfigError(`${file} is damaged: restore it from a backup (it holds the vault key)`);
    return parsed.data;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const secrets = {
    AUTH_SECRET: randomBytes(32).toString("base64"),
    MCPHUB_SECRET_KEY: randomBytes(32).toString("base64"),
  };
  // "wx" fails if another process created the file first; then read theirs.
  try {
    writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readOrCreateStoredSecrets(dataDir);
    throw error;
  }
  logger.warn(
    { file },
    "generated AUTH_SECRET and MCPHUB_SECRET_KEY for the embedded database; back this file up",
  );
  return secrets;
}
