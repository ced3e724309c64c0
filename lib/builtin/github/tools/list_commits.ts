import { z } from "zod";
import { defineTool, moreLine, plural } from "../../define";
import { type GitHub, nextPage, pageOf } from "../client";
import { commitSchema, cursor, nextCursorField, owner, perPage, repo, toCommit } from "../shapes";

export default defineTool({
  name: "list_commits",
  title: "List commits",
  description:
    "List commits of a repository, newest first: on a branch or from a SHA, optionally only those touching a path or by an author. Paginated.",
  input: z.object({
    owner,
    repo,
    sha: z
      .string()
      .min(1)
      .max(255)
      .optional()
      .describe("Branch name or commit SHA to start from (default branch)"),
    path: z.string().min(1).max(1_024).optional().describe("Only commits that touch this path"),
    author: z.string().min(1).max(255).optional().describe("GitHub login or email of the author"),
    per_page: perPage,
    cursor,
  }),
  output: z.object({ commits: z.array(commitSchema), nextCursor: nextCursorField }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  notFound: ({ owner, repo, sha }) => `the repository ${owner}/${repo}${sha ? ` or its ref ${sha}` : ""}`,
  async run(gh: GitHub, { owner, repo, sha, path, author, per_page, cursor: page }) {
    const response = await gh.request("GET /repos/{owner}/{repo}/commits", {
      owner,
      repo,
      sha,
      path,
      author,
      per_page,
      page: pageOf(page),
    });
    const commits = response.data.map(toCommit);
    const nextCursor = nextPage(response.headers.link);
    const text =
      `${plural(commits.length, "commit")} in ${owner}/${repo}${sha ? ` from ${sha}` : ""}:\n` +
      commits
        .map(
          (c) =>
            `- ${c.sha.slice(0, 7)} ${c.message.split("\n")[0]}${c.author ? ` (${c.author}${c.date ? `, ${c.date}` : ""})` : ""}`,
        )
        .join("\n") +
      moreLine(nextCursor);
    return { text, data: { commits, ...(nextCursor && { nextCursor }) } };
  },
});
