import { z } from "zod";

/*
 * Notion's objects made readable: rich text as plain text, property values as short strings,
 * blocks as lines of Markdown-like text, and plain text turned back into blocks.
 */

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === "object" ? (v as Json) : {});
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

export const idField = (what: string) =>
  z.string().min(32).max(300).describe(`The ${what}'s ID (with or without dashes) or its Notion URL`);
export const pageSize = z
  .number()
  .int()
  .min(1)
  .max(100)
  .optional()
  .describe("Results per page (1-100, default 100)");
export const cursor = z
  .string()
  .min(1)
  .max(200)
  .optional()
  .describe("nextCursor from an earlier answer, for the next page");
export { nextCursorField } from "../define";

export function plainText(richText: unknown): string {
  return Array.isArray(richText) ? richText.map((t) => str(obj(t).plain_text) ?? "").join("") : "";
}

/** A page's or database's title: the page's title property, or the database's title. */
export function titleOf(item: Json): string {
  if (Array.isArray(item.title)) return plainText(item.title);
  for (const property of Object.values(obj(item.properties)))
    if (obj(property).type === "title") return plainText(obj(property).title);
  return "";
}

/** One property value as a short string ("" when empty). */
export function propertyText(property: unknown): string {
  const p = obj(property);
  const type = str(p.type) ?? "";
  const value = p[type];
  switch (type) {
    case "title":
    case "rich_text":
      return plainText(value);
    case "number":
      return value === null || value === undefined ? "" : String(value);
    case "select":
    case "status":
      return str(obj(value).name) ?? "";
    case "multi_select":
      return Array.isArray(value) ? value.map((v) => str(obj(v).name) ?? "").join(", ") : "";
    case "date": {
      const date = obj(value);
      return date.start ? `${date.start}${date.end ? ` → ${date.end}` : ""}` : "";
    }
    case "checkbox":
      return value ? "yes" : "no";
    case "people":
      return Array.isArray(value)
        ? value.map((v) => str(obj(v).name) ?? str(obj(v).id) ?? "").join(", ")
        : "";
    case "relation":
      return Array.isArray(value) ? value.map((v) => str(obj(v).id) ?? "").join(", ") : "";
    case "files":
      return Array.isArray(value) ? value.map((v) => str(obj(v).name) ?? "").join(", ") : "";
    case "formula": {
      const f = obj(value);
      return String(f[str(f.type) ?? ""] ?? "");
    }
    case "unique_id": {
      const u = obj(value);
      return `${u.prefix ? `${u.prefix}-` : ""}${u.number ?? ""}`;
    }
    case "created_by":
    case "last_edited_by":
      return str(obj(value).name) ?? str(obj(value).id) ?? "";
    default:
      return typeof value === "string" || typeof value === "number" || typeof value === "boolean"
        ? String(value)
        : "";
  }
}

export function propertiesText(properties: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(obj(properties)).map(([name, p]) => [name, propertyText(p)]));
}

export const pageSchema = z.object({
  id: z.string(),
  object: z.string(),
  title: z.string(),
  url: z.string().nullable(),
  archived: z.boolean(),
  last_edited_time: z.string().nullable(),
  parent: z.string().nullable().describe("What holds it: page:ID, database:ID or workspace"),
  properties: z.record(z.string(), z.string()).optional(),
});
export function toPage(input: object, withProperties = false): z.output<typeof pageSchema> {
  const item = input as Json;
  const parent = obj(item.parent);
  const parentType = str(parent.type);
  return {
    id: str(item.id) ?? "",
    object: str(item.object) ?? "page",
    title: titleOf(item),
    url: str(item.url),
    archived: item.archived === true || item.in_trash === true,
    last_edited_time: str(item.last_edited_time),
    parent:
      parentType === "workspace"
        ? "workspace"
        : parentType
          ? `${parentType.replace(/_id$/, "")}:${str(parent[parentType]) ?? ""}`
          : null,
    ...(withProperties && { properties: propertiesText(item.properties) }),
  };
}
export const pageLine = (p: z.output<typeof pageSchema>) =>
  `${p.title || "(untitled)"} [${p.object} ${p.id}]${p.archived ? " (archived)" : ""}${p.url ? ` ${p.url}` : ""}`;

const LIST_PREFIX: Record<string, string> = {
  heading_1: "# ",
  heading_2: "## ",
  heading_3: "### ",
  bulleted_list_item: "- ",
  numbered_list_item: "1. ",
  quote: "> ",
  toggle: "▸ ",
  callout: "! ",
};

/** One block as a line (or a few) of text. */
export function blockText(input: object): string {
  const block = input as Json;
  const type = str(block.type) ?? "";
  const body = obj(block[type]);
  const text = plainText(body.rich_text);
  if (type in LIST_PREFIX) return `${LIST_PREFIX[type]}${text}`;
  switch (type) {
    case "paragraph":
      return text;
    case "to_do":
      return `[${body.checked ? "x" : " "}] ${text}`;
    case "code":
      return `\`\`\`${str(body.language) ?? ""}\n${text}\n\`\`\``;
    case "divider":
      return "---";
    case "child_page":
      return `[page: ${str(body.title) ?? ""}] (${str(block.id) ?? ""})`;
    case "child_database":
      return `[database: ${str(body.title) ?? ""}] (${str(block.id) ?? ""})`;
    case "image":
    case "file":
    case "pdf":
    case "video": {
      const url = str(obj(body.external).url) ?? str(obj(body.file).url) ?? "";
      return `[${type}${plainText(body.caption) ? `: ${plainText(body.caption)}` : ""}] ${url}`.trim();
    }
    case "bookmark":
    case "embed":
    case "link_preview":
      return `[${type}] ${str(body.url) ?? ""}`;
    case "equation":
      return `$${str(body.expression) ?? ""}$`;
    case "table_row":
      return `| ${(Array.isArray(body.cells) ? body.cells : []).map(plainText).join(" | ")} |`;
    default:
      return text || `[${type}]`;
  }
}

const richText = (content: string) => {
  const parts: Array<{ type: "text"; text: { content: string } }> = [];
  // Notion takes at most 2000 characters per text object.
  for (let at = 0; at < content.length || parts.length === 0; at += 2_000)
    parts.push({ type: "text", text: { content: content.slice(at, at + 2_000) } });
  return parts;
};

const LINE_RULES: Array<[RegExp, (m: RegExpExecArray) => [string, string, Json?]]> = [
  [/^(#{1,3}) (.*)$/, (m) => [`heading_${m[1]?.length}`, m[2] ?? ""]],
  [/^\s*\[( |x|X)\] (.*)$/, (m) => ["to_do", m[2] ?? "", { checked: m[1] !== " " }]],
  [/^\s*[-*] (.*)$/, (m) => ["bulleted_list_item", m[1] ?? ""]],
  [/^\s*\d+[.)] (.*)$/, (m) => ["numbered_list_item", m[1] ?? ""]],
  [/^> ?(.*)$/, (m) => ["quote", m[1] ?? ""]],
];

function lineBlock(line: string, block: (type: string, content: string, extra?: Json) => Json): Json {
  if (/^-{3,}\s*$/.test(line)) return { type: "divider", divider: {} };
  for (const [pattern, shape] of LINE_RULES) {
    const m = pattern.exec(line);
    if (m) return block(...shape(m));
  }
  return block("paragraph", line);
}

/**
 * Plain text (with a little Markdown: #, ##, ###, - or *, 1., [ ] / [x], >, ``` fences, ---) as
 * Notion blocks, one per line; blank lines are skipped.
 */
export function textToBlocks(text: string): Json[] {
  const blocks: Json[] = [];
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const fence = /^```(\w*)\s*$/.exec(line);
    if (fence) {
      const code: string[] = [];
      for (i++; i < lines.length && !/^```\s*$/.test(lines[i] ?? ""); i++) code.push(lines[i] ?? "");
      blocks.push({
        type: "code",
        code: { rich_text: richText(code.join("\n")), language: fence[1] || "plain text" },
      });
      continue;
    }
    if (!line.trim()) continue;
    const block = (type: string, content: string, extra: Json = {}): Json => ({
      type,
      [type]: { rich_text: richText(content), ...extra },
    });
    blocks.push(lineBlock(line, block));
  }
  return blocks;
}
