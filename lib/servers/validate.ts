import { AppError, type FieldErrors } from "@/lib/errors";
import {
  parseTemplate,
  TemplateError,
  type TemplateVariable,
  templateVariables,
} from "@/lib/templates/template";
import { hostRefusal } from "@/lib/upstream/outbound";
import { ISOLATION_BY_TYPE } from "./isolation";
import { BUILTIN_CREDENTIALS } from "./needs";
import type { Isolation, ParsedServerInput, RiskLevel, ServerConfig } from "./schemas";

/** What a valid server configuration needs and what the admin should be told about it. */
export type ValidatedServer = {
  input: ParsedServerInput;
  config: ServerConfig;
  isolation: Isolation;
  /** Credentials people must link (`${USER_NAME}` → NAME). */
  credentials: string[];
  /** The hub's own environment variables it reads (`${NAME}`). */
  hubVariables: string[];
  warnings: string[];
};

/** True when a template stands anywhere in the URL's authority (scheme://HERE/path). */
function hostIsTemplated(url: string): boolean {
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(url)?.[1] ?? url;
  return authority.includes("${");
}

/** The places templates may appear, with the field path an error should name. */
function templatedFields(input: ParsedServerInput): Array<[field: string, value: string]> {
  if (input.type === "stdio") {
    return [
      ...input.args.map((arg, i): [string, string] => [`args.${i}`, arg]),
      ...Object.entries(input.env).map(([k, v]): [string, string] => [`env.${k}`, v]),
    ];
  }
  // A built-in server reads its caller's own token, as `${USER_GITHUB_TOKEN}` would.
  if (input.type === "builtin") return [["builtin", `\${USER_${BUILTIN_CREDENTIALS[input.builtin]}}`]];
  return [
    ["url", input.url],
    ...Object.entries(input.headers).map(([k, v]): [string, string] => [`headers.${k}`, v]),
  ];
}

const processRisk = (risk: RiskLevel) => risk === "high" || risk === "critical";

/** The isolation a new server gets when the admin does not choose one. */
export function defaultIsolation(input: ParsedServerInput, perUser: boolean): Isolation {
  if (input.type === "builtin") return "builtin";
  if (input.type === "stdio") return perUser || processRisk(input.riskLevel) ? "process" : "none";
  return perUser ? "token" : "none";
}

/**
 * Checks what zod cannot: templates, the isolation rules and the hub variables a server reads.
 * A configuration that would put one person's credential into a process or connection shared
 * with others is refused with a message that names the isolation to pick.
 */
export function validateServer(
  input: ParsedServerInput,
  hubEnv: Readonly<Record<string, string | undefined>> = process.env,
): ValidatedServer {
  const errors: FieldErrors = {};
  const variables: TemplateVariable[] = [];
  for (const [field, value] of templatedFields(input)) {
    try {
      parseTemplate(value);
      variables.push(...templateVariables(value));
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      errors[field] = [error.message];
    }
  }
  if (input.type === "stdio" && /\$\{/.test(input.command)) {
    errors.command = ["The command cannot hold templates: put them in args or env"];
  }
  if ((input.type === "sse" || input.type === "streamable-http") && !errors.url) {
    const probe = input.url.replace(/\$\{[^}]*\}/g, "x");
    let url: URL | undefined;
    try {
      url = new URL(probe);
    } catch {
      errors.url = ["Give a full URL such as https://mcp.example.com/mcp"];
    }
    if (url && url.protocol !== "http:" && url.protocol !== "https:")
      errors.url = ["The URL must start with http:// or https://"];
    if (url && (url.username || url.password))
      errors.url = ["Put credentials in a header template, not in the URL"];
    // A host written out is checked now; a templated one, and every name, again when connecting.
    const refused = url && !errors.url && !hostIsTemplated(input.url) ? hostRefusal(url.hostname) : null;
    if (refused) errors.url = [refused];
  }

  const credentials = [...new Set(variables.filter((v) => v.kind === "credential").map((v) => v.name))];
  const hubVariables = [...new Set(variables.filter((v) => v.kind === "hub").map((v) => v.name))];
  const usesHome = variables.some((v) => v.kind === "context" && v.name === "MCPHUB_USER_HOME");
  const perUser = credentials.length > 0 || variables.some((v) => v.kind === "context");

  const hubSecrets = hubVariables.filter(isHubOwnSecret);
  if (hubSecrets.length > 0) {
    errors[fieldOf(input, hubSecrets[0] as string)] = [
      `${hubSecrets.join(", ")} belongs to the hub itself and is never handed to an upstream`,
    ];
  }
  const missingHub = hubVariables
    .filter((name) => !isHubOwnSecret(name))
    .filter((name) => hubEnv[name] === undefined);
  if (missingHub.length > 0) {
    errors[fieldOf(input, missingHub[0] as string)] = [
      `The hub's environment has no ${missingHub.join(", ")}: set ${missingHub.length > 1 ? "them" : "it"} on the server, or use \${USER_…} for a per-person credential`,
    ];
  }

  const isolation = input.isolation ?? defaultIsolation(input, perUser);
  const allowed = ISOLATION_BY_TYPE[input.type];
  if (!allowed.includes(isolation)) {
    errors.isolation = [`A ${input.type} server can use isolation ${allowed.join(" or ")}`];
  } else if (perUser && isolation === "none") {
    const pick = input.type === "stdio" ? "process" : "token";
    errors.isolation = [
      `This server uses per-person values (${variables
        .filter((v) => v.kind !== "hub")
        .map((v) => v.expression)
        .join(", ")}); isolation "none" would share one person's values with everyone: pick "${pick}"`,
    ];
  }
  if (usesHome && isolation !== "process") {
    errors.isolation = ['${MCPHUB_USER_HOME} exists only for isolation "process"'];
  }
  if (input.type === "stdio" && input.idleTimeoutMs !== undefined && isolation !== "process") {
    errors.idleTimeoutMs = ['idleTimeoutMs applies to isolation "process" only (one process per person)'];
  }
  if (input.contextHeaders && input.type !== "sse" && input.type !== "streamable-http") {
    errors.contextHeaders = ["Context headers apply to remote (sse, streamable-http) servers only"];
  }
  const mayBeModern = input.protocolVersion === "2026-07-28" || input.protocolVersion === "auto";
  if (mayBeModern && input.type !== "stdio" && input.type !== "streamable-http") {
    errors.protocolVersion = [
      input.type === "sse"
        ? "The SSE transport predates 2026-07-28: use type streamable-http for a server that speaks it"
        : "Built-in servers run inside the hub and have no protocol version to choose",
    ];
  }
  if (Object.keys(errors).length > 0) {
    throw new AppError(
      "validation_failed",
      `The server configuration needs fixing: ${Object.entries(errors)
        .map(([f, m]) => `${f}: ${m.join(", ")}`)
        .join("; ")}`,
      errors,
    );
  }

  const warnings: string[] = [];
  if (input.type === "stdio" && processRisk(input.riskLevel) && isolation !== "process") {
    warnings.push(
      `Risk level ${input.riskLevel} suggests isolation "process" for a stdio server; "${isolation}" runs one process shared by everyone.`,
    );
  }
  if (input.riskLevel === "critical")
    warnings.push("Critical servers can only be placed in restricted groups.");

  return { input, config: toConfig(input), isolation, credentials, hubVariables, warnings };
}

/**
 * The hub's own secrets: never substituted, whatever an admin writes. NEXTAUTH_SECRET is Auth.js's
 * fallback for AUTH_SECRET, and postgres.js reads PGPASSWORD when DATABASE_URL has no password.
 */
export function isHubOwnSecret(name: string): boolean {
  return /^(AUTH_|NEXTAUTH_|DATABASE_|REDIS_|MCPHUB_|OTEL_)/.test(name) || name === "PGPASSWORD";
}

function fieldOf(input: ParsedServerInput, hubVariable: string): string {
  const hit = templatedFields(input).find(([, value]) => value.includes(`\${${hubVariable}}`));
  return hit?.[0] ?? "config";
}

function toConfig(input: ParsedServerInput): ServerConfig {
  const timeouts = { callTimeoutMs: input.callTimeoutMs, listTimeoutMs: input.listTimeoutMs };
  // 2025-11-25 is the default and is not stored.
  const protocol = input.protocolVersion !== undefined &&
    input.protocolVersion !== "2025-11-25" && { protocolVersion: input.protocolVersion };
  if (input.type === "stdio")
    return {
      type: "stdio",
      command: input.command,
      args: input.args,
      env: input.env,
      ...(input.idleTimeoutMs !== undefined && { idleTimeoutMs: input.idleTimeoutMs }),
      ...timeouts,
      ...protocol,
    };
  if (input.type === "builtin") return { type: "builtin", builtin: input.builtin, ...timeouts };
  return {
    type: input.type,
    url: input.url,
    headers: input.headers,
    contextHeaders: input.contextHeaders,
    ...timeouts,
    ...protocol,
  };
}
