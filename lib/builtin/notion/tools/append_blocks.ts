import { z } from "zod";
import { defineTool, plural } from "../../define";
import { type Notion, notionId } from "../client";
import { idField, textToBlocks } from "../shapes";

export default defineTool({
  name: "append_blocks",
  title: "Append to a Notion page",
  description:
    "Add text to the end of a page (or inside a block), one block per line, with a little Markdown: #, ##, ###, - , 1. , [ ] , > , ``` fences, ---.",
  input: z.object({
    page_id: idField("page or block"),
    content: z.string().min(1).max(200_000).describe("The text to add"),
  }),
  output: z.object({ appended: z.number(), block_ids: z.array(z.string()) }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  notFound: ({ page_id }) => `the page or block ${page_id}`,
  async run(notion: Notion, { page_id, content }) {
    const blocks = textToBlocks(content);
    const ids: string[] = [];
    for (let at = 0; at < blocks.length; at += 100) {
      const data = await notion.request<{ results: Array<{ id: string }> }>(
        "PATCH",
        `/v1/blocks/${notionId(page_id)}/children`,
        { body: { children: blocks.slice(at, at + 100) } },
      );
      ids.push(...data.results.map((b) => b.id));
    }
    return {
      text: `Appended ${plural(blocks.length, "block")} to ${page_id}.`,
      data: { appended: blocks.length, block_ids: ids },
    };
  },
});
