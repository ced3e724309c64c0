import { z } from "zod";
import { defineTool, moreLine, plural } from "../../define";
import { type GitHub, nextPage, pageOf } from "../client";
import { cursor, nextCursorField, perPage, repositoryLine, repositorySchema, toRepository } from "../shapes";

export default defineTool({
  name: "list_repositories",
  title: "List repositories",
  description:
    "List the repositories your GitHub token can access (yours, your collaborations and organizations), or the public repositories of another account when owner is given. Paginated.",
  input: z.object({
    owner: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe("Another user or organization; leave out for your own"),
    visibility: z.enum(["all", "public", "private"]).optional().describe("Only for your own repositories"),
    sort: z
      .enum(["created", "updated", "pushed", "full_name"])
      .optional()
      .describe("Sort order (default full_name)"),
    per_page: perPage,
    cursor,
  }),
  output: z.object({ repositories: z.array(repositorySchema), nextCursor: nextCursorField }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  notFound: (args) => `the account ${args.owner}`,
  async run(gh: GitHub, { owner, visibility, sort, per_page, cursor: page }) {
    const response = owner
      ? await gh.request("GET /users/{username}/repos", {
          username: owner,
          sort,
          per_page,
          page: pageOf(page),
        })
      : await gh.request("GET /user/repos", { visibility, sort, per_page, page: pageOf(page) });
    const repositories = response.data.map(toRepository);
    const nextCursor = nextPage(response.headers.link);
    const text =
      `${plural(repositories.length, "repository", "repositories")}${owner ? ` of ${owner}` : ""}:\n` +
      repositories.map((r) => `- ${repositoryLine(r)}`).join("\n") +
      moreLine(nextCursor);
    return { text, data: { repositories, ...(nextCursor && { nextCursor }) } };
  },
});
