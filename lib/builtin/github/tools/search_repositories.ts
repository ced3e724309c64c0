import { z } from "zod";
import { defineTool, moreLine, plural } from "../../define";
import { type GitHub, nextPage, pageOf } from "../client";
import { cursor, nextCursorField, perPage, repositoryLine, repositorySchema, toRepository } from "../shapes";

export default defineTool({
  name: "search_repositories",
  title: "Search repositories",
  description:
    "Search GitHub repositories with GitHub's search syntax (for example 'mcp language:typescript stars:>100' or 'org:octo topic:cli'). Paginated.",
  input: z.object({
    query: z.string().min(1).max(256).describe("GitHub search query"),
    sort: z
      .enum(["stars", "forks", "help-wanted-issues", "updated"])
      .optional()
      .describe("Sort (default best match)"),
    per_page: perPage,
    cursor,
  }),
  output: z.object({
    total_count: z.number(),
    repositories: z.array(repositorySchema),
    nextCursor: nextCursorField,
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async run(gh: GitHub, { query, sort, per_page, cursor: page }) {
    const response = await gh.request("GET /search/repositories", {
      q: query,
      sort,
      per_page,
      page: pageOf(page),
    });
    const repositories = response.data.items.map(toRepository);
    const nextCursor = nextPage(response.headers.link);
    const text =
      `${plural(response.data.total_count, "repository", "repositories")} match "${query}"; showing ${repositories.length}:\n` +
      repositories.map((r) => `- ${repositoryLine(r)}`).join("\n") +
      moreLine(nextCursor);
    return {
      text,
      data: { total_count: response.data.total_count, repositories, ...(nextCursor && { nextCursor }) },
    };
  },
});
