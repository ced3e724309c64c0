import type { ServerConfig } from "@/lib/servers/schemas";
import { expandTemplate, type TemplateValues } from "@/lib/templates/template";

/** A remote or stdio configuration with every template expanded for one caller. */
export type ResolvedUpstream =
  | { type: "stdio"; command: string; args: string[]; env: Record<string, string> }
  | { type: "sse" | "streamable-http"; url: string; headers: Record<string, string> };

/**
 * Expands a server's templates with one caller's values. Throws a TemplateError (or its subclass
 * MissingVariableError, naming the credential) rather than sending an empty value anywhere.
 */
export function resolveUpstream(config: ServerConfig, values: TemplateValues): ResolvedUpstream {
  if (config.type === "builtin") throw new Error("built-in servers have no upstream connection");
  if (config.type === "stdio") {
    return {
      type: "stdio",
      command: config.command,
      args: config.args.map((arg) => expandTemplate(arg, values)),
      env: Object.fromEntries(Object.entries(config.env).map(([k, v]) => [k, expandTemplate(v, values)])),
    };
  }
  return {
    type: config.type,
    url: expandTemplate(config.url, values),
    headers: Object.fromEntries(
      Object.entries(config.headers).map(([k, v]) => [k, expandTemplate(v, values)]),
    ),
  };
}
