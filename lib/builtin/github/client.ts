import { Octokit } from "@octokit/core";
import { getEnv } from "@/lib/config/env";
import { logger } from "@/lib/logger";
import packageJson from "@/package.json";
import { pace } from "./pacing";

export const GITHUB_API_VERSION = "2022-11-28";

/** The GitHub REST client tools get: an Octokit bound to one person's token. */
export type GitHub = Octokit;

const log = logger.child({ builtin: "github" });

/**
 * An Octokit for one person, paced as GitHub asks for one token (./pacing.ts: per person, so nobody
 * waits for anyone else). A primary or secondary rate limit is not waited out (a tool call has a
 * deadline) but reported with its reset time; failed reads are retried twice, writes never.
 */
export function createGitHub(token: string, userId: string): GitHub {
  const octokit = new Octokit({
    auth: token,
    baseUrl: getEnv().GITHUB_API_URL,
    userAgent: `mcphub/${packageJson.version}`,
    // Octokit's own log writes to the console; keep its warnings in the hub's log, never a header.
    log: {
      debug: () => {},
      info: () => {},
      warn: (message: string) => log.warn({ detail: String(message).slice(0, 300) }, "octokit warning"),
      error: (message: string) => log.error({ detail: String(message).slice(0, 300) }, "octokit error"),
    },
  });
  // The REST API version the tools are written against, as GitHub asks clients to say.
  octokit.hook.before("request", (options) => {
    options.headers["x-github-api-version"] = GITHUB_API_VERSION;
  });
  pace(octokit, userId);
  return octokit;
}

/** Reads the page number of rel="next" from a Link header: GitHub's pagination, as our cursor. */
export function nextPage(link: string | undefined): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(",")) {
    const [, target, rel] = /<([^>]+)>\s*;\s*rel="([^"]+)"/.exec(part.trim()) ?? [];
    if (!target || !rel?.split(/\s+/).includes("next")) continue;
    const page = new URL(target, "http://github.invalid").searchParams.get("page");
    return page && /^\d+$/.test(page) ? page : undefined;
  }
  return undefined;
}

/** The `page` parameter for a cursor from an earlier answer (the cursor is a page number). */
export function pageOf(cursor: string | undefined): number | undefined {
  return cursor ? Number(cursor) : undefined;
}

/**
 * A contents path as GitHub documents it (`contents/docs/README.md`): slashes kept, each segment
 * encoded. Used with the `{+path}` template, which leaves it as it is.
 */
export function contentPath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}
