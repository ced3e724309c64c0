import { z } from "zod";
import { defineTool, moreLine, plural } from "../../define";
import { type GitHub, nextPage, pageOf } from "../client";
import { cursor, nextCursorField, owner, perPage, pullLine, pullSchema, repo, toPull } from "../shapes";

export default defineTool({
  name: "list_pull_requests",
  title: "List pull requests",
  description: "List a repository's pull requests, filtered by state, base or head branch. Paginated.",
  input: z.object({
    owner,
    repo,
    state: z.enum(["open", "closed", "all"]).optional().describe("Default open"),
    base: z.string().min(1).max(255).optional().describe("Only those merging into this branch"),
    head: z.string().min(1).max(255).optional().describe("Only those from this branch, as user:branch"),
    sort: z.enum(["created", "updated", "popularity", "long-running"]).optional(),
    direction: z.enum(["asc", "desc"]).optional(),
    per_page: perPage,
    cursor,
  }),
  output: z.object({ pull_requests: z.array(pullSchema), nextCursor: nextCursorField }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  notFound: ({ owner, repo }) => `the repository ${owner}/${repo}`,
  async run(gh: GitHub, { owner, repo, state, base, head, sort, direction, per_page, cursor: page }) {
    const response = await gh.request("GET /repos/{owner}/{repo}/pulls", {
      owner,
      repo,
      state,
      base,
      head,
      sort,
      direction,
      per_page,
      page: pageOf(page),
    });
    const pulls = response.data.map((p) => toPull(p));
    const nextCursor = nextPage(response.headers.link);
    const text =
      `${plural(pulls.length, "pull request")} in ${owner}/${repo}${state ? ` (${state})` : ""}:\n` +
      pulls.map((p) => `- ${pullLine(p)}`).join("\n") +
      moreLine(nextCursor);
    return { text, data: { pull_requests: pulls, ...(nextCursor && { nextCursor }) } };
  },
});
