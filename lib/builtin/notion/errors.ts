import { getPublicUrl } from "@/lib/config/env";
import { NotionError } from "./client";

/**
 * A failed Notion request as a sentence the person can act on. Only Notion's own message is
 * quoted, never the request, so never the token.
 */
export function describeNotionError(error: unknown, notFound?: string): string {
  const relink = `relink it at ${getPublicUrl()}/account/connections`;
  if (!(error instanceof NotionError)) {
    const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
    const detail =
      (error as Error)?.name === "TimeoutError"
        ? "no answer within 25 s"
        : (cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error)));
    return `Could not reach Notion: ${detail}`;
  }
  switch (error.code) {
    case "unauthorized":
      return `Notion rejected your NOTION_TOKEN (401: ${error.message}): it may be revoked or mistyped; ${relink}.`;
    case "restricted_resource":
      return `Your Notion integration may not do this (403: ${error.message}): give it the needed capabilities in Notion's integration settings, or ${relink} with another integration's token.`;
    case "object_not_found":
      return `Not found in Notion: ${notFound ?? "the requested object"}. Notion also answers this when the page or database is not shared with your integration (in Notion: ••• → Connections → add it).`;
    case "rate_limited":
      return `Notion asks to slow down (rate limited): try again in ${error.retryAfter ?? 1} s.`;
    case "validation_error":
    case "invalid_json":
    case "invalid_request":
    case "invalid_request_url":
      return `Notion refused the input (${error.status} ${error.code}): ${error.message}`;
    case "conflict_error":
      return `Notion reported a conflict (409): ${error.message}. Try again.`;
    default:
      return `Notion answered ${error.status} (${error.code}): ${error.message}`;
  }
}
