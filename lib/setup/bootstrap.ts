import { verifyPassword } from "@/lib/auth/password";
import { startClusterBus } from "@/lib/cluster/bus";
import { getEnv, getPublicUrl } from "@/lib/config/env";
import { resolveSecrets } from "@/lib/config/secrets";
import { getDatabaseDriver } from "@/lib/db";
import { registerKey } from "@/lib/keys/queries";
import { logger } from "@/lib/logger";
import { createUser, getUserByEmail } from "@/lib/users/queries";
import { issueSetupCode } from "./setup-code";

/**
 * Everything the hub does once at start, before it serves a request: check the configuration,
 * resolve secrets, migrate the database, create the bootstrap admin (and key) from the environment,
 * or print a one-time setup code when there is no admin yet.
 */
export async function bootstrapHub(): Promise<void> {
  const env = getEnv();
  resolveSecrets(env);
  const driver = await getDatabaseDriver();
  // Before the first request: a change made on another instance from now on reaches this one.
  await startClusterBus();
  const publicUrl = getPublicUrl(env);

  if (env.MCPHUB_ADMIN_EMAIL) {
    let admin = await getUserByEmail(env.MCPHUB_ADMIN_EMAIL);
    if (!admin) {
      await createUser(
        { email: env.MCPHUB_ADMIN_EMAIL, password: env.MCPHUB_ADMIN_PASSWORD, role: "admin" },
        { actor: null, via: "MCPHUB_ADMIN_EMAIL" },
      );
      admin = await getUserByEmail(env.MCPHUB_ADMIN_EMAIL);
      logger.info({ email: env.MCPHUB_ADMIN_EMAIL }, "created the bootstrap admin from MCPHUB_ADMIN_EMAIL");
    }
    if (admin && env.MCPHUB_ADMIN_API_KEY)
      await registerKey(admin.id, "bootstrap (MCPHUB_ADMIN_API_KEY)", env.MCPHUB_ADMIN_API_KEY);
  }
  await issueSetupCode(`${publicUrl}/setup`);
  // The first unknown-email sign-in would otherwise pay for hashing the dummy password.
  await verifyPassword(null, "warm-up");
  logger.info({ driver, url: publicUrl }, `MCPHub is ready at ${publicUrl}`);
}

/** Starts the hub, or ends the process with one line that names what to fix. */
export async function startHubOrExit(): Promise<void> {
  try {
    await bootstrapHub();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.fatal(
      { err: { name: error instanceof Error ? error.name : "Error", message } },
      "MCPHub cannot start",
    );
    console.error(`MCPHub cannot start: ${message}`);
    process.exit(1);
  }
}
