import { createHash, timingSafeEqual } from "node:crypto";
import { getEnv } from "@/lib/config/env";
import { bearerToken } from "@/lib/http/api";

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * Whether the request carries MCPHUB_METRICS_TOKEN as its bearer token. Both sides are hashed
 * first so the comparison takes the same time whatever the length or the first wrong character.
 */
export function isScrapeToken(request: Request): boolean {
  const expected = getEnv().MCPHUB_METRICS_TOKEN;
  const sent = bearerToken(request);
  if (!expected || !sent) return false;
  return timingSafeEqual(digest(sent), digest(expected));
}

export const METRICS_ACCESS_MESSAGES = {
  unauthorized:
    "Send 'Authorization: Bearer <MCPHUB_METRICS_TOKEN>' (the scrape token set in the hub's environment) or an admin's MCPHub key",
  forbidden:
    "Metrics are for admins and Prometheus: use an admin's MCPHub key, or the scrape token MCPHUB_METRICS_TOKEN",
};
