/**
 * PostgreSQL cannot store a NUL character in text or jsonb, and an upstream may send one (MCP
 * allows any string as a tool name, a description or an error message): a write holding one is
 * refused whole. What the hub stores from an upstream goes through these, NUL becoming U+FFFD.
 */
export function storableText(text: string): string {
  return text.includes("\0") ? text.replaceAll("\0", "\uFFFD") : text;
}

/** A JSON value with every string, object keys included, made storable. */
export function storableJson<T>(value: T): T {
  if (typeof value === "string") return storableText(value) as T;
  if (Array.isArray(value)) return value.map(storableJson) as T;
  if (value !== null && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [storableText(key), storableJson(item)]),
    ) as T;
  return value;
}

/** The paths ("servers.0.name", or "input" for a bare string) of the strings and keys in a value that hold a NUL. */
export function fieldsWithNul(value: unknown, path: string[] = []): string[] {
  const here = path.join(".") || "input";
  if (typeof value === "string") return value.includes("\0") ? [here] : [];
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, item]) => [
    ...(key.includes("\0") ? [here] : []),
    ...fieldsWithNul(item, [...path, key]),
  ]);
}
