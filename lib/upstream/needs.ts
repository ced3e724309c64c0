import { BUILTIN_CREDENTIALS } from "@/lib/servers/needs";
import type { ServerConfig } from "@/lib/servers/schemas";
import { templateVariables } from "@/lib/templates/template";

/** The credentials (`${USER_NAME}` → NAME) a stored server configuration needs from each person. */
export function credentialsNeeded(config: ServerConfig): string[] {
  if (config.type === "builtin") return [BUILTIN_CREDENTIALS[config.builtin]];
  const fields =
    config.type === "stdio"
      ? [...config.args, ...Object.values(config.env)]
      : [config.url, ...Object.values(config.headers)];
  const names = new Set<string>();
  for (const field of fields)
    for (const v of templateVariables(field)) if (v.kind === "credential") names.add(v.name);
  return [...names];
}
