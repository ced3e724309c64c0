import { getPublicUrl } from "@/lib/config/env";

type HttpFailure = {
  status: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
};

function isHttpFailure(error: unknown): error is HttpFailure {
  return (
    error instanceof Error &&
    typeof (error as { status?: unknown }).status === "number" &&
    "response" in error
  );
}

/** "in 12 minutes (at 2026-12-05T06:00:00Z)" for an epoch-seconds reset time. */
function resetPhrase(epochSeconds: number): string {
  const at = new Date(epochSeconds * 1000);
  const minutes = Math.max(0, Math.ceil((at.getTime() - Date.now()) / 60_000));
  return `in ${minutes} minute${minutes === 1 ? "" : "s"} (at ${at.toISOString()})`;
}

function scopes(value: string | number | undefined): string[] {
  return String(value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** GitHub's validation errors ("errors": [{resource, field, code, message}]) as one sentence. */
function validationDetails(data: unknown): string {
  const errors = (data as { errors?: unknown })?.errors;
  if (!Array.isArray(errors)) return "";
  const parts = errors.map((e) => {
    if (typeof e === "string") return e;
    const { resource, field, code, message } = (e ?? {}) as Record<string, unknown>;
    if (typeof message === "string" && message) return message;
    return [resource, field, code].filter((x) => typeof x === "string" && x).join(" ");
  });
  return parts.filter(Boolean).join("; ");
}

/**
 * Turns a failed GitHub request into a sentence the person can act on: relink a rejected token, which
 * scope is missing, what was not found, which input GitHub refused, when a rate limit resets.
 * Only GitHub's own messages and headers are quoted: never the request, so never the token.
 */
export function describeGitHubError(error: unknown, notFound?: string): string {
  const relink = `relink it at ${getPublicUrl()}/account/connections`;
  // Octokit reports a request that never got an answer as status 500 without a response.
  if (!isHttpFailure(error) || !error.response) {
    const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
    const detail = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
    return `Could not reach GitHub: ${detail}`;
  }
  const headers = error.response?.headers ?? {};
  const data = error.response?.data;
  const said =
    typeof (data as { message?: unknown })?.message === "string"
      ? (data as { message: string }).message
      : undefined;
  const remaining = headers["x-ratelimit-remaining"];
  const reset = Number(headers["x-ratelimit-reset"]);
  const retryAfter = Number(headers["retry-after"]);
  if ((error.status === 403 || error.status === 429) && String(remaining) === "0" && reset > 0)
    return `GitHub's rate limit for your token is used up (${headers["x-ratelimit-limit"] ?? "?"} requests per hour); it resets ${resetPhrase(reset)}.`;
  if (error.status === 429 || (error.status === 403 && /secondary rate limit/i.test(said ?? ""))) {
    const wait = retryAfter > 0 ? retryAfter : 60;
    return `GitHub asks to slow down (secondary rate limit): try again in ${wait} s.`;
  }
  switch (error.status) {
    case 401:
      return `GitHub rejected your GITHUB_TOKEN (401${said ? `: ${said}` : ""}): it may be expired or revoked; ${relink}.`;
    case 403: {
      const needed = scopes(headers["x-accepted-oauth-scopes"]);
      const has = scopes(headers["x-oauth-scopes"]);
      const missing = needed.filter((s) => !has.includes(s));
      if (missing.length > 0)
        return `GitHub refused this with your GITHUB_TOKEN (403${said ? `: ${said}` : ""}): the token lacks the scope ${missing.join(" or ")} (it has ${has.length ? has.join(", ") : "no scopes"}); ${relink} with a token that has it.`;
      return `GitHub refused this with your GITHUB_TOKEN (403${said ? `: ${said}` : ""}): the token may lack a scope or access to this repository; ${relink} if it should.`;
    }
    case 404:
      return `Not found on GitHub: ${notFound ?? "the requested resource"}. GitHub also answers 404 for private repositories your token cannot see.`;
    case 422: {
      const details = validationDetails(data);
      return `GitHub refused the input (422${said ? ` ${said}` : ""})${details ? `: ${details}` : ""}.`;
    }
    default:
      return `GitHub answered ${error.status}${said ? `: ${said}` : ""}${validationDetails(data) ? ` (${validationDetails(data)})` : ""}.`;
  }
}
