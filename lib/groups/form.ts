import { AppError, type FieldErrors } from "@/lib/errors";

/** Form field names for one server's tool choice in the group form. */
export const toolModeField = (server: string) => `toolMode:${server}`;
export const toolsField = (server: string) => `tools:${server}`;

/**
 * Turns the admin's group form into a group input: checked servers in form order, each with
 * "all tools" or the chosen ones. Choosing "only these" with none ticked is refused here, since
 * a server that exposes nothing is almost certainly a mistake.
 */
export function parseGroupForm(form: FormData): Record<string, unknown> {
  const text = (key: string) => {
    const value = form.get(key);
    return typeof value === "string" ? value : "";
  };
  const errors: FieldErrors = {};
  const servers = form.getAll("servers").map(String);
  const entries = servers.map((name) => {
    if (form.get(toolModeField(name)) !== "some") return name;
    const tools = form.getAll(toolsField(name)).map(String);
    if (tools.length === 0)
      errors[`servers.${name}`] = [`Tick at least one tool of ${name}, or expose all of them`];
    return { name, tools };
  });
  if (Object.keys(errors).length > 0)
    throw new AppError("validation_failed", "Some tool choices need fixing", errors);
  return {
    name: text("name").trim(),
    description: text("description").trim() || undefined,
    visibility: text("visibility") || "public",
    servers: entries,
  };
}
