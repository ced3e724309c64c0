import { z } from "zod";
import { defineTool, moreLine, plural } from "../../define";
import { type Notion, notionId } from "../client";
import { blockText, cursor, idField, nextCursorField, pageSize } from "../shapes";

type Listing = {
  results: Array<{ id: string; type: string; has_children?: boolean }>;
  has_more?: boolean;
  next_cursor?: string | null;
};

export default defineTool({
  name: "get_page_content",
  title: "Read a Notion page",
  description:
    "Read a page's (or block's) content as text, one line per block. Nested blocks are marked with their ID: read them with this tool and that ID. Paginated.",
  input: z.object({ page_id: idField("page or block"), page_size: pageSize, cursor }),
  output: z.object({
    blocks: z.array(
      z.object({ id: z.string(), type: z.string(), text: z.string(), has_children: z.boolean() }),
    ),
    nextCursor: nextCursorField,
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  notFound: ({ page_id }) => `the page or block ${page_id}`,
  async run(notion: Notion, { page_id, page_size, cursor: start }) {
    const data = await notion.request<Listing>("GET", `/v1/blocks/${notionId(page_id)}/children`, {
      query: { page_size, start_cursor: start },
    });
    const blocks = data.results.map((b) => ({
      id: b.id,
      type: b.type,
      text: blockText(b),
      has_children: b.has_children === true && b.type !== "child_page" && b.type !== "child_database",
    }));
    const nextCursor = data.has_more && data.next_cursor ? data.next_cursor : undefined;
    const text =
      (blocks.length === 0
        ? "The page has no content."
        : blocks.map((b) => (b.has_children ? `${b.text}  [nested blocks: ${b.id}]` : b.text)).join("\n")) +
      `\n(${plural(blocks.length, "block")})` +
      moreLine(nextCursor);
    return { text, data: { blocks, ...(nextCursor && { nextCursor }) } };
  },
});
