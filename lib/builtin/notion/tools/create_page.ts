import { z } from "zod";
import { defineTool, plural } from "../../define";
import { type Notion, notionId } from "../client";
import { idField, pageLine, pageSchema, textToBlocks, toPage } from "../shapes";

export default defineTool({
  name: "create_page",
  title: "Create a Notion page",
  description:
    "Create a page under a page, or a row in a database, with a title and text content (a little Markdown: #, -, 1., [ ], >, ```). For a database, properties takes other column values in Notion's format.",
  input: z.object({
    parent_page_id: idField("parent page").optional().describe("Create it under this page"),
    parent_database_id: idField("database").optional().describe("Or add it as a row of this database"),
    title: z.string().min(1).max(2_000),
    title_property: z
      .string()
      .min(1)
      .max(200)
      .default("Name")
      .describe("The database's title column (default Name)"),
    content: z.string().max(200_000).optional().describe("The page's text"),
    properties: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("Other property values, in Notion's API format"),
  }),
  output: z.object({ page: pageSchema }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  notFound: ({ parent_page_id, parent_database_id }) =>
    parent_database_id ? `the database ${parent_database_id}` : `the page ${parent_page_id}`,
  async run(
    notion: Notion,
    { parent_page_id, parent_database_id, title, title_property, content, properties },
  ) {
    if (Boolean(parent_page_id) === Boolean(parent_database_id))
      throw new RangeError("Give exactly one of parent_page_id and parent_database_id");
    const children = content ? textToBlocks(content) : [];
    const titleValue = { title: [{ type: "text", text: { content: title } }] };
    const created = await notion.request("POST", "/v1/pages", {
      body: {
        parent: parent_database_id
          ? { database_id: notionId(parent_database_id) }
          : { page_id: notionId(parent_page_id ?? "") },
        properties: parent_database_id
          ? { ...properties, [title_property]: titleValue }
          : { title: titleValue },
        // Notion takes at most 100 blocks in one request.
        ...(children.length > 0 && { children: children.slice(0, 100) }),
      },
    });
    const page = toPage(created);
    if (children.length > 100) {
      for (let at = 100; at < children.length; at += 100)
        await notion.request("PATCH", `/v1/blocks/${page.id}/children`, {
          body: { children: children.slice(at, at + 100) },
        });
    }
    return { text: `Created ${pageLine(page)} with ${plural(children.length, "block")}`, data: { page } };
  },
});
