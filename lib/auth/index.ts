import NextAuth, { type NextAuthConfig } from "next-auth";
import { resolveSecrets } from "@/lib/config/secrets";
import { logger } from "@/lib/logger";
import { isGithubEmailVerified } from "./github-email";
import { resolveExternalUser } from "./identities";
import { getProviders } from "./providers";

declare module "next-auth" {
  interface Session {
    user: { id: string; email?: string | null; name?: string | null };
  }
}

// The role is deliberately not kept in the session token: every page, action and route loads
// the user (lib/auth/session.ts), so a lowered role or a disabled account counts on the next request.
function buildConfig(): NextAuthConfig {
  return {
    secret: resolveSecrets().authSecret,
    trustHost: true,
    // Auth.js prints whole stack traces for every wrong password; keep its reports structured and short.
    logger: {
      error: (error) =>
        error.name === "CredentialsSignin"
          ? logger.info({ event: "auth.sign_in_refused" }, "password sign-in refused")
          : logger.error({ err: { name: error.name, message: error.message } }, "Auth.js error"),
      warn: (code) => logger.warn({ code }, "Auth.js warning"),
      debug: () => {},
    },
    session: { strategy: "jwt", maxAge: 7 * 24 * 60 * 60 },
    pages: { signIn: "/login", error: "/login" },
    providers: getProviders(),
    callbacks: {
      async signIn({ user, account, profile }) {
        if (!account || account.provider === "credentials") return true;
        const resolved = await resolveExternalUser({
          provider: account.provider,
          subject: account.providerAccountId,
          email: profile?.email ?? user.email,
          // GitHub hands Auth.js the account's primary, verified address; OIDC says so explicitly.
          emailVerified:
            account.provider === "github"
              ? await isGithubEmailVerified(account.access_token, profile?.email ?? user.email)
              : profile?.email_verified === true,
          name: profile?.name ?? user.name,
        });
        if (!resolved) return false;
        user.id = resolved.id;
        return true;
      },
      jwt({ token, user }) {
        if (user?.id) token.uid = user.id;
        return token;
      },
      session({ session, token }) {
        if (typeof token.uid === "string") session.user.id = token.uid;
        return session;
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => buildConfig());
