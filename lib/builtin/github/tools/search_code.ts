import { z } from "zod";
import { defineTool, moreLine, plural } from "../../define";
import { type GitHub, nextPage, pageOf } from "../client";
import { cursor, nextCursorField, perPage } from "../shapes";

export default defineTool({
  name: "search_code",
  title: "Search code",
  description:
    "Search code across GitHub with GitHub's code search syntax (for example 'createServer repo:octo/hub language:ts' or 'readFile path:src org:octo'). Paginated.",
  input: z.object({
    query: z.string().min(1).max(256).describe("GitHub code search query"),
    per_page: perPage,
    cursor,
  }),
  output: z.object({
    total_count: z.number(),
    matches: z.array(
      z.object({
        repository: z.string(),
        path: z.string(),
        sha: z.string(),
        html_url: z.string().nullable(),
      }),
    ),
    nextCursor: nextCursorField,
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async run(gh: GitHub, { query, per_page, cursor: page }) {
    const response = await gh.request("GET /search/code", { q: query, per_page, page: pageOf(page) });
    const matches = response.data.items.map((item) => ({
      repository: item.repository.full_name,
      path: item.path,
      sha: item.sha,
      html_url: item.html_url ?? null,
    }));
    const nextCursor = nextPage(response.headers.link);
    const text =
      `${plural(response.data.total_count, "file")} match "${query}"; showing ${matches.length}:\n` +
      matches.map((m) => `- ${m.repository}:${m.path}`).join("\n") +
      moreLine(nextCursor);
    return {
      text,
      data: { total_count: response.data.total_count, matches, ...(nextCursor && { nextCursor }) },
    };
  },
});
