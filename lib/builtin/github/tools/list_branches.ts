import { z } from "zod";
import { defineTool, moreLine, plural } from "../../define";
import { type GitHub, nextPage, pageOf } from "../client";
import { cursor, nextCursorField, owner, perPage, repo } from "../shapes";

export default defineTool({
  name: "list_branches",
  title: "List branches",
  description: "List a repository's branches with their head commit. Paginated.",
  input: z.object({
    owner,
    repo,
    protected: z.boolean().optional().describe("Only protected (true) or only unprotected (false) branches"),
    per_page: perPage,
    cursor,
  }),
  output: z.object({
    branches: z.array(z.object({ name: z.string(), sha: z.string(), protected: z.boolean() })),
    nextCursor: nextCursorField,
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  notFound: ({ owner, repo }) => `the repository ${owner}/${repo}`,
  async run(gh: GitHub, { owner, repo, protected: isProtected, per_page, cursor: page }) {
    const response = await gh.request("GET /repos/{owner}/{repo}/branches", {
      owner,
      repo,
      protected: isProtected,
      per_page,
      page: pageOf(page),
    });
    const branches = response.data.map((b) => ({ name: b.name, sha: b.commit.sha, protected: b.protected }));
    const nextCursor = nextPage(response.headers.link);
    const text =
      `${plural(branches.length, "branch", "branches")} in ${owner}/${repo}:\n` +
      branches.map((b) => `- ${b.name} (${b.sha.slice(0, 7)})${b.protected ? " protected" : ""}`).join("\n") +
      moreLine(nextCursor);
    return { text, data: { branches, ...(nextCursor && { nextCursor }) } };
  },
});
