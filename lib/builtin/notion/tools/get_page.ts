import { z } from "zod";
import { defineTool } from "../../define";
import { type Notion, notionId } from "../client";
import { idField, pageLine, pageSchema, toPage } from "../shapes";

export default defineTool({
  name: "get_page",
  title: "Get a Notion page",
  description: "Get a page's title, parent and property values (use get_page_content for its text).",
  input: z.object({ page_id: idField("page") }),
  output: z.object({ page: pageSchema }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  notFound: ({ page_id }) => `the page ${page_id}`,
  async run(notion: Notion, { page_id }) {
    const page = toPage(await notion.request("GET", `/v1/pages/${notionId(page_id)}`), true);
    const props = Object.entries(page.properties ?? {})
      .filter(([, v]) => v)
      .map(([k, v]) => `${k}: ${v}`);
    return { text: [pageLine(page), `Parent: ${page.parent ?? "?"}`, ...props].join("\n"), data: { page } };
  },
});
