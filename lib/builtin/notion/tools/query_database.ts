import { z } from "zod";
import { defineTool, moreLine, plural } from "../../define";
import { type Notion, notionId } from "../client";
import { cursor, idField, nextCursorField, pageSchema, pageSize, toPage } from "../shapes";

type Listing = { results: object[]; has_more?: boolean; next_cursor?: string | null };

export default defineTool({
  name: "query_database",
  title: "Query a Notion database",
  description:
    "List a database's rows with their property values, optionally filtered and sorted (filter and sorts in Notion's API format). Paginated.",
  input: z.object({
    database_id: idField("database"),
    filter: z.record(z.string(), z.unknown()).optional().describe("A Notion filter object"),
    sorts: z.array(z.record(z.string(), z.unknown())).max(10).optional().describe("Notion sort objects"),
    page_size: pageSize,
    cursor,
  }),
  output: z.object({ rows: z.array(pageSchema), nextCursor: nextCursorField }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  notFound: ({ database_id }) => `the database ${database_id}`,
  async run(notion: Notion, { database_id, filter, sorts, page_size, cursor: start }) {
    const data = await notion.request<Listing>("POST", `/v1/databases/${notionId(database_id)}/query`, {
      body: {
        ...(filter && { filter }),
        ...(sorts && { sorts }),
        ...(page_size && { page_size }),
        ...(start && { start_cursor: start }),
      },
    });
    const rows = data.results.map((r) => toPage(r, true));
    const nextCursor = data.has_more && data.next_cursor ? data.next_cursor : undefined;
    const text =
      `${plural(rows.length, "row")}:\n` +
      rows
        .map((r) => {
          const values = Object.entries(r.properties ?? {})
            .filter(([, v]) => v)
            .map(([k, v]) => `${k}: ${v}`);
          return `- ${r.title || "(untitled)"} [${r.id}]${values.length ? ` - ${values.join("; ")}` : ""}`;
        })
        .join("\n") +
      moreLine(nextCursor);
    return { text, data: { rows, ...(nextCursor && { nextCursor }) } };
  },
});
