import { z } from "zod";
import { defineTool } from "../../define";
import { type Notion, notionId } from "../client";
import { idField, titleOf } from "../shapes";

type Database = {
  id: string;
  url?: string;
  title?: unknown;
  description?: unknown;
  properties?: Record<string, { type?: string; [k: string]: unknown }>;
};

export default defineTool({
  name: "get_database",
  title: "Get a Notion database",
  description:
    "Get a database's title and columns (name, type, and the options of select and status columns).",
  input: z.object({ database_id: idField("database") }),
  output: z.object({
    database: z.object({
      id: z.string(),
      title: z.string(),
      url: z.string().nullable(),
      properties: z.array(
        z.object({ name: z.string(), type: z.string(), options: z.array(z.string()).optional() }),
      ),
    }),
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  notFound: ({ database_id }) => `the database ${database_id}`,
  async run(notion: Notion, { database_id }) {
    const data = await notion.request<Database>("GET", `/v1/databases/${notionId(database_id)}`);
    const properties = Object.entries(data.properties ?? {}).map(([name, p]) => {
      const type = p.type ?? "unknown";
      const options = (p[type] as { options?: Array<{ name?: string }> } | undefined)?.options;
      return { name, type, ...(Array.isArray(options) && { options: options.map((o) => o.name ?? "") }) };
    });
    const database = {
      id: data.id,
      title: titleOf(data as Record<string, unknown>),
      url: data.url ?? null,
      properties,
    };
    const text = [
      `${database.title || "(untitled)"} [database ${database.id}]${database.url ? ` ${database.url}` : ""}`,
      ...properties.map((p) => `- ${p.name}: ${p.type}${p.options ? ` (${p.options.join(", ")})` : ""}`),
    ].join("\n");
    return { text, data: { database } };
  },
});
