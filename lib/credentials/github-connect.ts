import { randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { getEnv, getGithubUrls, getPublicUrl } from "@/lib/config/env";
import { logger } from "@/lib/logger";
import { deleteCredential, getCredentialValues, listCredentials, setCredential } from "./queries";

/** The credential GitHub's OAuth flow fills, the one `${USER_GITHUB_TOKEN}` and the built-in GitHub tools use. */
export const GITHUB_CREDENTIAL = "GITHUB_TOKEN";
/** Enough for the built-in tools and the common GitHub MCP servers: repositories, issues, pull requests, org membership. */
export const GITHUB_SCOPES = "repo read:org read:user";
export const GITHUB_STATE_COOKIE = "mcphub_github_connect";
export const GITHUB_CALLBACK_PATH = "/account/connections/github/callback";
const STATE_TTL_SECONDS = 600;
const EXCHANGE_TIMEOUT_MS = 10_000;

/** Why a connect attempt failed; each code has a sentence on the connections page. */
export type GithubConnectFailure =
  | "denied"
  | "state_mismatch"
  | "missing_code"
  | "exchange_failed"
  | "github_refused"
  | "not_configured";

export class GithubConnectError extends Error {
  override name = "GithubConnectError";
  constructor(readonly failure: GithubConnectFailure) {
    super(`GitHub connect failed: ${failure}`);
  }
}

/** What the connections page says for each failure: what happened and what to do. */
export const GITHUB_CONNECT_MESSAGES: Record<GithubConnectFailure, string> = {
  denied: "GitHub was not connected: the authorization was declined on GitHub. Connect again to retry.",
  state_mismatch:
    "GitHub was not connected: the sign-in round trip expired or did not start here. Connect again from this page.",
  missing_code: "GitHub was not connected: GitHub sent no authorization code. Connect again to retry.",
  exchange_failed: "GitHub was not connected: GitHub could not be reached to finish. Try again in a minute.",
  github_refused:
    "GitHub was not connected: GitHub refused the authorization code (it may have expired). Connect again.",
  not_configured:
    "Connecting GitHub is not set up on this hub: ask an admin to set AUTH_GITHUB_ID and AUTH_GITHUB_SECRET.",
};

export function githubConnectConfigured(): boolean {
  const env = getEnv();
  return Boolean(env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET);
}

function appCredentials(): { clientId: string; clientSecret: string } {
  const env = getEnv();
  if (!env.AUTH_GITHUB_ID || !env.AUTH_GITHUB_SECRET) throw new GithubConnectError("not_configured");
  return { clientId: env.AUTH_GITHUB_ID, clientSecret: env.AUTH_GITHUB_SECRET };
}

const redirectUri = () => `${getPublicUrl()}${GITHUB_CALLBACK_PATH}`;

export type StateCookie = {
  name: string;
  value: string;
  options: { httpOnly: true; sameSite: "lax"; secure: boolean; path: string; maxAge: number };
};

/**
 * Starts GitHub's OAuth web flow for one signed-in person: the address to send the browser to,
 * and the cookie that binds the returning request to this person and this attempt.
 */
export function beginGithubConnect(userId: string): { authorizeUrl: string; cookie: StateCookie } {
  const { clientId } = appCredentials();
  const state = randomBytes(32).toString("base64url");
  const url = new URL(`${getGithubUrls().web}/login/oauth/authorize`);
  url.search = new URLSearchParams({
    client_id: clientId,
    redirect_uri: redirectUri(),
    scope: GITHUB_SCOPES,
    state,
    allow_signup: "false",
  }).toString();
  return {
    authorizeUrl: url.toString(),
    cookie: {
      name: GITHUB_STATE_COOKIE,
      value: `${userId}.${state}`,
      options: {
        httpOnly: true,
        sameSite: "lax",
        secure: getPublicUrl().startsWith("https://"),
        path: "/account/connections/github",
        maxAge: STATE_TTL_SECONDS,
      },
    },
  };
}

const callbackSchema = z.object({
  code: z.string().min(1).max(512).optional(),
  state: z.string().min(1).max(512).optional(),
  error: z.string().max(200).optional(),
});

const tokenAnswerSchema = z.union([
  z.object({ access_token: z.string().min(1).max(16_384), scope: z.string().optional() }),
  z.object({ error: z.string(), error_description: z.string().optional() }),
]);

function sameState(expected: string, received: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(received);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Finishes the flow: checks that the browser returning from GitHub is the one that started it (and
 * for the same person), trades the code for a token, and saves the token, encrypted, as the
 * person's GITHUB_TOKEN. Throws a GithubConnectError naming what went wrong.
 */
export async function completeGithubConnect(
  userId: string,
  query: URLSearchParams,
  cookieValue: string | undefined,
): Promise<{ scopes: string[] }> {
  const { clientId, clientSecret } = appCredentials();
  const params = callbackSchema.safeParse(Object.fromEntries(query));
  if (!params.success) throw new GithubConnectError("missing_code");
  if (params.data.error) throw new GithubConnectError("denied");
  const [cookieUser, cookieState] = (cookieValue ?? "").split(".", 2);
  if (
    !params.data.state ||
    cookieUser !== userId ||
    !cookieState ||
    !sameState(cookieState, params.data.state)
  )
    throw new GithubConnectError("state_mismatch");
  if (!params.data.code) throw new GithubConnectError("missing_code");

  let answer: unknown;
  try {
    const response = await fetch(`${getGithubUrls().web}/login/oauth/access_token`, {
      method: "POST",
      headers: { Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        client_id: clientId,
        client_secret: clientSecret,
        code: params.data.code,
        redirect_uri: redirectUri(),
      }),
      redirect: "manual",
      signal: AbortSignal.timeout(EXCHANGE_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`GitHub answered the token exchange with HTTP ${response.status}`);
    answer = await response.json();
  } catch (error) {
    logger.warn(
      { err: error instanceof Error ? error.message : String(error) },
      "GitHub token exchange failed",
    );
    throw new GithubConnectError("exchange_failed");
  }
  const parsed = tokenAnswerSchema.safeParse(answer);
  if (!parsed.success) throw new GithubConnectError("exchange_failed");
  if ("error" in parsed.data) {
    logger.info({ error: parsed.data.error }, "GitHub refused the authorization code");
    throw new GithubConnectError("github_refused");
  }
  await setCredential(userId, GITHUB_CREDENTIAL, { value: parsed.data.access_token }, "github-oauth");
  return { scopes: (parsed.data.scope ?? "").split(/[ ,]+/).filter(Boolean) };
}

/**
 * Removes the person's GITHUB_TOKEN. A token GitHub issued through this hub's OAuth app is also
 * revoked at GitHub, so it stops working everywhere; a pasted token is only forgotten (the person
 * manages it at GitHub). Returns whether GitHub confirmed the revocation.
 */
export async function disconnectGithub(userId: string): Promise<{ revokedAtGithub: boolean }> {
  const saved = (await listCredentials(userId)).find((c) => c.name === GITHUB_CREDENTIAL);
  let revokedAtGithub = false;
  if (saved?.source === "github-oauth" && githubConnectConfigured()) {
    const { [GITHUB_CREDENTIAL]: token } = await getCredentialValues(userId, [GITHUB_CREDENTIAL]);
    if (token) revokedAtGithub = await revokeAtGithub(token);
  }
  await deleteCredential(userId, GITHUB_CREDENTIAL);
  return { revokedAtGithub };
}

async function revokeAtGithub(token: string): Promise<boolean> {
  const { clientId, clientSecret } = appCredentials();
  try {
    const response = await fetch(
      `${getGithubUrls().api}/applications/${encodeURIComponent(clientId)}/token`,
      {
        method: "DELETE",
        headers: {
          Accept: "application/vnd.github+json",
          Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`,
          "Content-Type": "application/json",
        },
        body: JSON.stringify({ access_token: token }),
        redirect: "manual",
        signal: AbortSignal.timeout(EXCHANGE_TIMEOUT_MS),
      },
    );
    // 204: revoked; 404: GitHub no longer knows it (already revoked) — gone either way.
    return response.status === 204 || response.status === 404;
  } catch (error) {
    logger.warn(
      { err: error instanceof Error ? error.message : String(error) },
      "GitHub token revocation failed",
    );
    return false;
  }
}
