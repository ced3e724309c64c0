import { z } from "zod";
import { defineTool, moreLine, plural } from "../../define";
import { type GitHub, nextPage, pageOf } from "../client";
import { cursor, issueLine, issueSchema, nextCursorField, owner, perPage, repo, toIssue } from "../shapes";

export default defineTool({
  name: "list_issues",
  title: "List issues",
  description:
    "List a repository's issues (GitHub counts pull requests as issues too; they are marked). Filter by state, labels, assignee. Paginated.",
  input: z.object({
    owner,
    repo,
    state: z.enum(["open", "closed", "all"]).optional().describe("Default open"),
    labels: z
      .array(z.string().min(1).max(100))
      .max(20)
      .optional()
      .describe("Only issues with all these labels"),
    assignee: z.string().min(1).max(100).optional().describe("A login, 'none' or '*'"),
    sort: z.enum(["created", "updated", "comments"]).optional(),
    direction: z.enum(["asc", "desc"]).optional(),
    since: z.iso.datetime().optional().describe("Only issues updated at or after this time (ISO 8601)"),
    per_page: perPage,
    cursor,
  }),
  output: z.object({ issues: z.array(issueSchema), nextCursor: nextCursorField }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  notFound: ({ owner, repo }) => `the repository ${owner}/${repo}`,
  async run(
    gh: GitHub,
    { owner, repo, state, labels, assignee, sort, direction, since, per_page, cursor: page },
  ) {
    const response = await gh.request("GET /repos/{owner}/{repo}/issues", {
      owner,
      repo,
      state,
      labels: labels?.join(","),
      assignee,
      sort,
      direction,
      since,
      per_page,
      page: pageOf(page),
    });
    const issues = response.data.map((i) => toIssue(i));
    const nextCursor = nextPage(response.headers.link);
    const text =
      `${plural(issues.length, "issue")} in ${owner}/${repo}${state ? ` (${state})` : ""}:\n` +
      issues.map((i) => `- ${issueLine(i)}`).join("\n") +
      moreLine(nextCursor);
    return { text, data: { issues, ...(nextCursor && { nextCursor }) } };
  },
});
