import { CredentialsSignin } from "next-auth";
import type { Provider } from "next-auth/providers";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import { z } from "zod";
import { getEnv, getGithubUrls } from "@/lib/config/env";
import { getUserByEmail } from "@/lib/users/queries";
import { verifyPassword } from "./password";

/** Shown for a disabled account, only after the right password was given. */
export class AccountDisabled extends CredentialsSignin {
  override code = "account_disabled";
}

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().max(320),
  password: z.string().max(256),
});

/** Password sign-in; unknown email and wrong password take the same path and the same time. */
const passwordProvider = Credentials({
  id: "credentials",
  credentials: { email: {}, password: {} },
  async authorize(raw) {
    const parsed = credentialsSchema.safeParse(raw);
    if (!parsed.success) return null;
    const user = await getUserByEmail(parsed.data.email);
    const valid = await verifyPassword(user?.passwordHash, parsed.data.password);
    if (!user || !valid) return null;
    if (user.disabled) throw new AccountDisabled();
    return { id: user.id, email: user.email, name: user.name };
  },
});

export type SignInOption = { id: string; name: string };

/** The providers configured by the environment: password always, GitHub and OpenID Connect when set. */
export function getProviders(): Provider[] {
  const env = getEnv();
  const providers: Provider[] = [passwordProvider];
  if (env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET) {
    providers.push(
      GitHub({
        clientId: env.AUTH_GITHUB_ID,
        clientSecret: env.AUTH_GITHUB_SECRET,
        // GitHub Enterprise Server: sign-in goes to the same GitHub as "Connect GitHub".
        ...(env.AUTH_GITHUB_URL && { enterprise: { baseUrl: getGithubUrls(env).web } }),
      }),
    );
  }
  if (env.AUTH_OIDC_ISSUER && env.AUTH_OIDC_ID && env.AUTH_OIDC_SECRET) {
    providers.push({
      id: "oidc",
      name: env.AUTH_OIDC_NAME ?? "Single sign-on",
      type: "oidc",
      issuer: env.AUTH_OIDC_ISSUER,
      clientId: env.AUTH_OIDC_ID,
      clientSecret: env.AUTH_OIDC_SECRET,
      checks: ["pkce", "state", "nonce"],
      // Read the profile from the userinfo endpoint: a conforming provider may keep email and
      // email_verified out of the ID token when it also issues an access token (OIDC Core 5.4).
      idToken: false,
    });
  }
  return providers;
}

/** The buttons the sign-in page shows besides the password form. */
export function getExternalSignInOptions(): SignInOption[] {
  const env = getEnv();
  const options: SignInOption[] = [];
  if (env.AUTH_GITHUB_ID) options.push({ id: "github", name: "GitHub" });
  if (env.AUTH_OIDC_ISSUER) options.push({ id: "oidc", name: env.AUTH_OIDC_NAME ?? "Single sign-on" });
  return options;
}
