import { z } from "zod";

const emailsSchema = z.array(z.object({ email: z.string(), primary: z.boolean(), verified: z.boolean() }));

/**
 * Asks GitHub whether the address it gave for this account is verified. Auth.js takes the primary
 * address without looking at its `verified` flag, and linking an existing hub account on an
 * unverified address would let anyone claim it.
 */
export async function isGithubEmailVerified(
  accessToken: string | undefined,
  email: string | null | undefined,
): Promise<boolean> {
  if (!accessToken || !email) return false;
  const base = (process.env.GITHUB_API_URL ?? "https://api.github.com").replace(/\/+$/, "");
  try {
    const response = await fetch(`${base}/user/emails`, {
      headers: {
        Authorization: `Bearer ${accessToken}`,
        Accept: "application/vnd.github+json",
        "User-Agent": "mcphub",
      },
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) return false;
    const emails = emailsSchema.safeParse(await response.json());
    return (
      emails.success && emails.data.some((e) => e.verified && e.email.toLowerCase() === email.toLowerCase())
    );
  } catch {
    return false;
  }
}
