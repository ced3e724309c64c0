import { AppError, type FieldErrors } from "@/lib/errors";
import { BUILTIN_CREDENTIALS } from "./needs";
import type { ServerInput } from "./schemas";

/**
 * The admin form's text fields for one server: args one per line, env as KEY=value lines,
 * headers as "Name: value" lines. Pure, so the form and its tests share it.
 */
export type ServerFormValues = {
  name: string;
  description: string;
  type: ServerInput["type"];
  command: string;
  args: string;
  env: string;
  url: string;
  headers: string;
  builtin: string;
  isolation: string;
  riskLevel: string;
  toolPrefix: string;
  noPrefix: boolean;
  callTimeoutMs: string;
  listTimeoutMs: string;
  /** stdio with isolation process: idle time of a person's process. */
  idleTimeoutMs: string;
  contextHeaders: boolean;
  /** Empty: the default revision (2025-11-25). */
  protocolVersion: string;
  enabled: boolean;
};

export const emptyServerForm: ServerFormValues = {
  name: "",
  description: "",
  type: "stdio",
  command: "",
  args: "",
  env: "",
  url: "",
  headers: "",
  builtin: "github",
  isolation: "",
  riskLevel: "medium",
  toolPrefix: "",
  noPrefix: false,
  callTimeoutMs: "",
  listTimeoutMs: "",
  idleTimeoutMs: "",
  contextHeaders: false,
  protocolVersion: "",
  enabled: true,
};

/** A stored server (in the contract's shape) as the form's initial values. */
export function serverFormValues(input: ServerInput): ServerFormValues {
  return {
    ...emptyServerForm,
    name: input.name,
    description: input.description ?? "",
    type: input.type,
    isolation: input.isolation ?? "",
    riskLevel: input.riskLevel ?? "medium",
    toolPrefix: input.toolPrefix ?? "",
    noPrefix: input.toolPrefix === "",
    callTimeoutMs: input.callTimeoutMs === undefined ? "" : String(input.callTimeoutMs),
    listTimeoutMs: input.listTimeoutMs === undefined ? "" : String(input.listTimeoutMs),
    protocolVersion: input.protocolVersion ?? "",
    enabled: input.enabled ?? true,
    ...(input.type === "stdio" && {
      command: input.command,
      idleTimeoutMs: input.idleTimeoutMs === undefined ? "" : String(input.idleTimeoutMs),
      args: (input.args ?? []).join("\n"),
      env: Object.entries(input.env ?? {})
        .map(([key, value]) => `${key}=${value}`)
        .join("\n"),
    }),
    ...((input.type === "sse" || input.type === "streamable-http") && {
      url: input.url,
      headers: Object.entries(input.headers ?? {})
        .map(([key, value]) => `${key}: ${value}`)
        .join("\n"),
      contextHeaders: input.contextHeaders ?? false,
    }),
    ...(input.type === "builtin" && { builtin: input.builtin }),
  };
}

type Lines = { field: string; separator: "=" | ":"; example: string };

/** Splits "KEY=value" or "Name: value" lines; blank lines and # comments are skipped. */
function parsePairs(
  text: string,
  { field, separator, example }: Lines,
  errors: FieldErrors,
): Record<string, string> {
  const pairs: Record<string, string> = {};
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const at = line.indexOf(separator);
    if (at <= 0) {
      problems.push(`Line ${index + 1} ("${line.slice(0, 40)}") needs the form ${example}`);
      return;
    }
    const key = line.slice(0, at).trim();
    if (Object.hasOwn(pairs, key)) problems.push(`Line ${index + 1}: ${key} is set twice`);
    pairs[key] = line.slice(at + 1).trim();
  });
  if (problems.length > 0) errors[field] = problems;
  return pairs;
}

function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

/**
 * Turns the submitted form into a full server input for createServer, updateServer or
 * checkServerInput. Optional fields the admin emptied are sent as `undefined` (or `null` for the
 * prefix) so an update clears them instead of keeping the stored value.
 */
export function parseServerForm(
  form: FormData,
  options: { withEnabled?: boolean } = {},
): Record<string, unknown> {
  const text = (key: string) => {
    const value = form.get(key);
    return typeof value === "string" ? value : "";
  };
  const optional = (key: string) => text(key).trim() || undefined;
  const errors: FieldErrors = {};
  const type = text("type");
  const input: Record<string, unknown> = {
    name: text("name").trim(),
    type,
    description: optional("description"),
    isolation: optional("isolation"),
    riskLevel: optional("riskLevel"),
    toolPrefix: form.get("noPrefix") === "on" ? "" : (optional("toolPrefix") ?? null),
    callTimeoutMs: optional("callTimeoutMs"),
    listTimeoutMs: optional("listTimeoutMs"),
    protocolVersion: optional("protocolVersion"),
  };
  if (options.withEnabled) input.enabled = form.get("enabled") === "on";
  if (type === "stdio") {
    input.command = text("command").trim();
    input.args = lines(text("args"));
    input.idleTimeoutMs = optional("idleTimeoutMs");
    input.env = parsePairs(text("env"), { field: "env", separator: "=", example: "KEY=value" }, errors);
  } else if (type === "sse" || type === "streamable-http") {
    input.url = text("url").trim();
    input.headers = parsePairs(
      text("headers"),
      { field: "headers", separator: ":", example: "Name: value" },
      errors,
    );
    input.contextHeaders = form.get("contextHeaders") === "on";
  } else if (type === "builtin") {
    input.builtin = text("builtin");
  }
  if (Object.keys(errors).length > 0) {
    throw new AppError("validation_failed", "Some lines need fixing", errors);
  }
  return input;
}

/**
 * The values of the form that may hold templates, read leniently (no errors), so the form can
 * show which credentials and variables the configuration needs while the admin types.
 */
export function templatedFormValues(
  values: Pick<ServerFormValues, "type" | "args" | "env" | "url" | "headers"> & { builtin?: string },
): string[] {
  const after = (line: string, separator: string) => {
    const at = line.indexOf(separator);
    return at > 0 ? [line.slice(at + 1).trim()] : [];
  };
  if (values.type === "stdio")
    return [...lines(values.args), ...lines(values.env).flatMap((line) => after(line, "="))];
  if (values.type === "builtin") {
    const credential = BUILTIN_CREDENTIALS[values.builtin as keyof typeof BUILTIN_CREDENTIALS];
    return credential ? [`\${USER_${credential}}`] : [];
  }
  return [values.url, ...lines(values.headers).flatMap((line) => after(line, ":"))];
}
