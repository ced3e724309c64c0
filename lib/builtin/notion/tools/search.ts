import { z } from "zod";
import { defineTool, moreLine, plural } from "../../define";
import type { Notion } from "../client";
import { cursor, nextCursorField, pageLine, pageSchema, pageSize, toPage } from "../shapes";

type Listing = { results: object[]; has_more?: boolean; next_cursor?: string | null };

export default defineTool({
  name: "search",
  title: "Search Notion",
  description:
    "Search the pages and databases shared with your Notion integration by title. Leave query empty to list them all. Paginated.",
  input: z.object({
    query: z.string().max(500).optional().describe("Words in the title"),
    filter: z.enum(["page", "database"]).optional().describe("Only pages or only databases"),
    page_size: pageSize,
    cursor,
  }),
  output: z.object({ results: z.array(pageSchema), nextCursor: nextCursorField }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async run(notion: Notion, { query, filter, page_size, cursor: start }) {
    const data = await notion.request<Listing>("POST", "/v1/search", {
      body: {
        ...(query && { query }),
        ...(filter && { filter: { property: "object", value: filter } }),
        ...(page_size && { page_size }),
        ...(start && { start_cursor: start }),
      },
    });
    const results = data.results.map((r) => toPage(r));
    const nextCursor = data.has_more && data.next_cursor ? data.next_cursor : undefined;
    const text =
      `${plural(results.length, "result")}${query ? ` for "${query}"` : ""}:\n` +
      results.map((r) => `- ${pageLine(r)}`).join("\n") +
      moreLine(nextCursor);
    return { text, data: { results, ...(nextCursor && { nextCursor }) } };
  },
});
