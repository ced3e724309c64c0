import { TemplateError, templateVariables } from "@/lib/templates/template";
import type { BUILTINS, ServerConfig } from "./schemas";

/** The credential each person links for a built-in server (lib/builtin): their own API token. */
export const BUILTIN_CREDENTIALS: Record<(typeof BUILTINS)[number], string> = {
  github: "GITHUB_TOKEN",
  notion: "NOTION_TOKEN",
};

/** What a server's `${…}` templates ask for, by kind. Safe to import in client components. */
export type TemplateNeeds = {
  /** Credentials each person links (`${USER_GITHUB_TOKEN}` → GITHUB_TOKEN). */
  credentials: string[];
  /** The hub's own environment variables, shared by everyone (`${NAME}`). */
  hub: string[];
  /** Per-call context the hub fills in (`${MCPHUB_USER_ID}` …). */
  context: string[];
};

/**
 * Collects the variables of several template strings. Malformed templates are skipped here:
 * validation reports them with their field, this only describes what a valid configuration needs.
 */
export function templateNeeds(values: Iterable<string>): TemplateNeeds {
  const needs = { credentials: new Set<string>(), hub: new Set<string>(), context: new Set<string>() };
  for (const value of values) {
    try {
      for (const variable of templateVariables(value)) {
        const target =
          variable.kind === "credential"
            ? needs.credentials
            : variable.kind === "hub"
              ? needs.hub
              : needs.context;
        target.add(variable.name);
      }
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
    }
  }
  return { credentials: [...needs.credentials], hub: [...needs.hub], context: [...needs.context] };
}

/** The template-bearing values of a stored configuration: args and env values, or URL and header values. */
export function templatedValues(config: ServerConfig): string[] {
  if (config.type === "stdio") return [...config.args, ...Object.values(config.env)];
  // A built-in server reads its caller's token as if it were configured as `${USER_GITHUB_TOKEN}`.
  if (config.type === "builtin") return [`\${USER_${BUILTIN_CREDENTIALS[config.builtin]}}`];
  return [config.url, ...Object.values(config.headers)];
}

/** True when testing the server as an admin needs nobody's personal values (credentials, home folder). */
export function canProbeAsAdmin(needs: TemplateNeeds): boolean {
  return needs.credentials.length === 0 && !needs.context.includes("MCPHUB_USER_HOME");
}
