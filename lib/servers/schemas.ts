import { z } from "zod";

export const SERVER_TYPES = ["stdio", "sse", "streamable-http", "builtin"] as const;
export const ISOLATION_LEVELS = ["none", "token", "process", "builtin"] as const;
export const RISK_LEVELS = ["low", "medium", "high", "critical"] as const;
export const BUILTINS = ["github", "notion"] as const;

export type ServerType = (typeof SERVER_TYPES)[number];
export type Isolation = (typeof ISOLATION_LEVELS)[number];
export type RiskLevel = (typeof RISK_LEVELS)[number];
/**
 * The MCP revision the hub speaks to an upstream. 2025-11-25 (the default) is what every server
 * understands; 2026-07-28 lets an upstream answer with its own `input_required` results, which the
 * hub passes through; `auto` asks the server (`server/discover`) and speaks 2026-07-28 when it
 * offers it, 2025-11-25 otherwise (docs/decisions/0016-upstream-protocol-revision.md).
 */
export const UPSTREAM_PROTOCOL_VERSIONS = ["2025-11-25", "2026-07-28", "auto"] as const;
export type UpstreamProtocolVersion = (typeof UPSTREAM_PROTOCOL_VERSIONS)[number];

export const serverNameSchema = z
  .string({ error: "Name the server" })
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, {
    error:
      "Use 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit (it appears in tool names and URLs)",
  });

/** RFC 9110 token characters; names that would break the upstream connection are refused too. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;
const RESERVED_HEADERS = new Set([
  "host",
  "content-length",
  "connection",
  "transfer-encoding",
  "upgrade",
  "mcp-session-id",
  "mcp-protocol-version",
  "te",
  "trailer",
  "keep-alive",
]);
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

const headersSchema = z
  .record(
    z.string(),
    z
      .string({ error: "A header value must be text" })
      .max(8_192, { error: "A header value may be at most 8192 characters" })
      // Templates refuse such values when expanded; a literal one would break the request the same way.
      .regex(/^[^\r\n\0]*$/, { error: "A header value cannot contain line breaks or NUL" }),
  )
  .superRefine((headers, ctx) => {
    for (const name of Object.keys(headers)) {
      if (!HEADER_NAME.test(name)) {
        ctx.addIssue({
          code: "custom",
          path: [name],
          message: `"${name}" is not a valid header name: use letters, digits and - (such as Authorization or X-Api-Key)`,
        });
      } else if (RESERVED_HEADERS.has(name.toLowerCase())) {
        ctx.addIssue({
          code: "custom",
          path: [name],
          message: `${name} is set by the hub itself and cannot be configured`,
        });
      }
    }
  });

const envSchema = z
  .record(z.string(), z.string({ error: "An environment value must be text" }).max(32_768))
  .superRefine((env, ctx) => {
    for (const name of Object.keys(env)) {
      if (!ENV_NAME.test(name))
        ctx.addIssue({
          code: "custom",
          path: [name],
          message: `"${name}" is not a valid environment variable name`,
        });
    }
  });

const timeoutSchema = (label: string) =>
  z.coerce
    .number({ error: `${label} must be a number of milliseconds` })
    .int()
    .min(100, { error: `${label} must be at least 100 ms` })
    .max(600_000, { error: `${label} may be at most 600000 ms (10 minutes)` })
    .optional();

const commonFields = {
  name: serverNameSchema,
  description: z.string().trim().max(500, { error: "Use at most 500 characters" }).optional(),
  enabled: z.boolean({ error: "enabled must be true or false" }).default(true),
  isolation: z
    .enum(ISOLATION_LEVELS, { error: `isolation must be one of ${ISOLATION_LEVELS.join(", ")}` })
    .optional(),
  riskLevel: z
    .enum(RISK_LEVELS, { error: `riskLevel must be one of ${RISK_LEVELS.join(", ")}` })
    .default("medium"),
  toolPrefix: z
    .string()
    .regex(/^[A-Za-z0-9_-]{0,40}$/, {
      error: "A prefix may hold up to 40 letters, digits, '_' or '-' (or be empty for none)",
    })
    .nullable()
    .optional(),
  callTimeoutMs: timeoutSchema("callTimeoutMs"),
  listTimeoutMs: timeoutSchema("listTimeoutMs"),
  /** Send X-MCPHub-User-Id and X-MCPHub-Request-Id upstream (remote servers only). */
  contextHeaders: z.boolean().optional(),
  protocolVersion: z
    .enum(UPSTREAM_PROTOCOL_VERSIONS, {
      error: `protocolVersion must be one of ${UPSTREAM_PROTOCOL_VERSIONS.join(", ")}`,
    })
    .optional(),
};

const urlSchema = z
  .string({ error: "Give the server's URL" })
  .trim()
  .min(1, { error: "Give the server's URL" })
  .max(2_048);

export const stdioServerSchema = z
  .object({
    ...commonFields,
    type: z.literal("stdio"),
    command: z
      .string({ error: "A stdio server needs a command, such as npx or node" })
      .trim()
      .min(1, { error: "A stdio server needs a command, such as npx or node" })
      .max(1_024),
    args: z.array(z.string().max(4_096), { error: "args must be a list of strings" }).max(100).default([]),
    env: envSchema.default({}),
    /** isolation "process": stop a person's idle process after this long (default 10 minutes). */
    idleTimeoutMs: z.coerce
      .number({ error: "idleTimeoutMs must be a number of milliseconds" })
      .int({ error: "idleTimeoutMs must be a whole number of milliseconds" })
      .min(1_000, { error: "idleTimeoutMs must be at least 1000 ms" })
      .max(86_400_000, { error: "idleTimeoutMs may be at most 86400000 ms (a day)" })
      .optional(),
  })
  .strict();

export const remoteServerSchema = z
  .object({
    ...commonFields,
    type: z.enum(["sse", "streamable-http"]),
    url: urlSchema,
    headers: headersSchema.default({}),
  })
  .strict();

export const builtinServerSchema = z
  .object({
    ...commonFields,
    type: z.literal("builtin"),
    builtin: z.enum(BUILTINS, { error: `builtin must be one of ${BUILTINS.join(", ")}` }),
  })
  .strict();

/** A server as admins submit it (REST body, form, import), before the checks in validate.ts. */
export const serverInputSchema = z.discriminatedUnion(
  "type",
  [stdioServerSchema, remoteServerSchema, builtinServerSchema],
  {
    error: `type must be one of ${SERVER_TYPES.join(", ")}`,
  },
);
export type ServerInput = z.input<typeof serverInputSchema>;
export type ParsedServerInput = z.output<typeof serverInputSchema>;

/** The type-specific part stored in servers.config. */
export type ServerConfig =
  | {
      type: "stdio";
      command: string;
      args: string[];
      env: Record<string, string>;
      /** isolation "process" only: how long a person's process may sit idle before it is stopped. */
      idleTimeoutMs?: number;
      callTimeoutMs?: number;
      listTimeoutMs?: number;
      protocolVersion?: UpstreamProtocolVersion;
    }
  | {
      type: "sse" | "streamable-http";
      url: string;
      headers: Record<string, string>;
      callTimeoutMs?: number;
      listTimeoutMs?: number;
      contextHeaders?: boolean;
      protocolVersion?: UpstreamProtocolVersion;
    }
  | {
      type: "builtin";
      builtin: (typeof BUILTINS)[number];
      callTimeoutMs?: number;
      listTimeoutMs?: number;
      /** Never set: the built-ins run inside the hub. Present so every config can be asked. */
      protocolVersion?: undefined;
    };
