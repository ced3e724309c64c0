import { and, eq } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { type User, userIdentities, users } from "@/lib/db/schema";
import { logger } from "@/lib/logger";
import { createUser, getUserByEmail, getUserById } from "@/lib/users/queries";

export type ExternalProfile = {
  provider: string;
  subject: string;
  email?: string | null;
  emailVerified: boolean;
  name?: string | null;
};

/**
 * Finds the hub user behind a GitHub or OpenID Connect account, creating one (role `user`) the
 * first time. An existing password account is linked only when the provider vouches for the email,
 * so nobody can take over an account by registering its address elsewhere unverified.
 * Returns undefined when the person may not sign in (disabled, or no usable email).
 */
export async function resolveExternalUser(profile: ExternalProfile): Promise<User | undefined> {
  const db = await getDb();
  const [linked] = await db
    .select({ userId: userIdentities.userId })
    .from(userIdentities)
    .where(and(eq(userIdentities.provider, profile.provider), eq(userIdentities.subject, profile.subject)))
    .limit(1);
  let user = linked ? await getUserById(linked.userId) : undefined;

  if (!user) {
    if (!profile.email || !profile.emailVerified) {
      logger.warn(
        { provider: profile.provider },
        "external sign-in refused: the provider gave no verified email",
      );
      return undefined;
    }
    user = await getUserByEmail(profile.email);
    if (!user) {
      const created = await createUser({
        email: profile.email,
        name: profile.name ?? undefined,
        role: "user",
      });
      user = await getUserById(created.id);
    }
    if (!user) return undefined;
    await db
      .insert(userIdentities)
      .values({ provider: profile.provider, subject: profile.subject, userId: user.id })
      .onConflictDoNothing();
  }
  if (user.disabled) return undefined;
  return user;
}

export async function listIdentities(userId: string) {
  const db = await getDb();
  return db.select().from(userIdentities).where(eq(userIdentities.userId, userId));
}

export { users };
