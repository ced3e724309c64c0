import { z } from "zod";
import { defineTool } from "../../define";
import { type Notion, notionId } from "../client";
import { idField, pageLine, pageSchema, toPage } from "../shapes";

export default defineTool({
  name: "update_page",
  title: "Update a Notion page",
  description:
    "Change a page's properties (in Notion's format), rename it, or archive (move to trash) or restore it. Use append_blocks to add text.",
  input: z.object({
    page_id: idField("page"),
    title: z.string().min(1).max(2_000).optional().describe("New title"),
    title_property: z
      .string()
      .min(1)
      .max(200)
      .default("title")
      .describe("The title property's name (Name in most databases)"),
    properties: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("Property values to set, in Notion's API format"),
    archived: z.boolean().optional().describe("true moves the page to the trash, false restores it"),
  }),
  output: z.object({ page: pageSchema }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  notFound: ({ page_id }) => `the page ${page_id}`,
  async run(notion: Notion, { page_id, title, title_property, properties, archived }) {
    const updated = await notion.request("PATCH", `/v1/pages/${notionId(page_id)}`, {
      body: {
        ...((properties || title) && {
          properties: {
            ...properties,
            ...(title && { [title_property]: { title: [{ type: "text", text: { content: title } }] } }),
          },
        }),
        ...(archived !== undefined && { archived }),
      },
    });
    const page = toPage(updated, true);
    return { text: `Updated ${pageLine(page)}`, data: { page } };
  },
});
