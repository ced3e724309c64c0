import { isIP } from "node:net";
import { z } from "zod";

/** Thrown when the hub's configuration cannot work; the message names the variable and the fix. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

const base64Key = optionalText.refine(
  (value) => value === undefined || Buffer.from(value, "base64").length === 32,
  {
    message: "must be 32 bytes, base64-encoded (generate one with `openssl rand -base64 32`)",
  },
);

/** Why one MCPHUB_OUTBOUND_ALLOW entry is unusable (a host name, an address, or a CIDR range), or null. */
export function allowlistEntryProblem(entry: string): string | null {
  const [address, bits, extra] = entry.trim().split("/");
  if (!address) return "has an empty entry";
  const family = isIP(address);
  if (bits === undefined)
    return family || /^[a-z0-9.-]+$/i.test(address) ? null : `"${entry}" is not a host name or address`;
  const max = family === 4 ? 32 : 128;
  if (!family || extra !== undefined || !/^\d+$/.test(bits) || Number(bits) > max)
    return `"${entry}" is not a CIDR range such as 169.254.169.254/32`;
  return null;
}
/** An http(s) base URL without a trailing slash, or the default when unset. */
const apiUrl = (fallback: string) =>
  optionalText
    .refine((value) => value === undefined || (/^https?:\/\/[^\s?#]+$/.test(value) && URL.canParse(value)), {
      message: `must be an http(s) URL without query or fragment, such as ${fallback}`,
    })
    .transform((value) => (value ?? fallback).replace(/\/+$/, ""));

/** An OTLP/HTTP collector URL (OpenTelemetry traces). */
const otlpUrl = optionalText.refine(
  (value) => value === undefined || (/^https?:\/\/[^\s?#]+$/.test(value) && URL.canParse(value)),
  { message: "must be an http(s) URL of an OTLP/HTTP collector, such as http://localhost:4318" },
);

const otlpProtocol = optionalText.pipe(
  z
    .enum(["http/protobuf", "http/json"], {
      message: "must be http/protobuf or http/json (the hub exports over OTLP/HTTP; gRPC is not supported)",
    })
    .optional(),
);

const envSchema = z.object({
  DATABASE_URL: optionalText.refine((value) => value === undefined || /^postgres(ql)?:\/\//.test(value), {
    message: "must be a postgres:// or postgresql:// URL (unset it to use the embedded database)",
  }),
  MCPHUB_DATA_DIR: optionalText.transform((value) => value ?? "./data"),
  MCPHUB_INSTANCE_ID: optionalText.refine(
    (value) => value === undefined || /^[a-z0-9][a-z0-9-]{0,31}$/.test(value),
    {
      message:
        "must be 1-32 lower-case letters, digits or dashes, starting with a letter or digit, such as hub-a (it prefixes session ids, for the load balancer)",
    },
  ),
  MCPHUB_SECRET_KEY: base64Key,
  MCPHUB_SECRET_KEY_PREVIOUS: optionalText,
  AUTH_SECRET: optionalText,
  MCPHUB_PUBLIC_URL: optionalText.refine((value) => value === undefined || /^https?:\/\//.test(value), {
    message: "must be an http(s) URL such as https://mcphub.example.com",
  }),
  MCPHUB_ADMIN_EMAIL: optionalText.refine(
    // The same rule as the sign-in form (lib/users/schemas.ts), so `admin@localhost` passes.
    (value) => value === undefined || z.email({ pattern: z.regexes.html5Email }).safeParse(value).success,
    {
      message: "must be an email address",
    },
  ),
  MCPHUB_ADMIN_PASSWORD: optionalText.refine((value) => value === undefined || value.length >= 8, {
    message: "must be at least 8 characters",
  }),
  MCPHUB_ADMIN_API_KEY: optionalText.refine(
    (value) => value === undefined || /^mcphub_[A-Za-z0-9_-]{43,}$/.test(value),
    {
      message: "must look like mcphub_ followed by at least 43 base64url characters (32 random bytes)",
    },
  ),
  AUTH_GITHUB_ID: optionalText,
  AUTH_GITHUB_SECRET: optionalText,
  // GitHub's web address for the OAuth flow (GitHub Enterprise Server: https://github.example.com).
  AUTH_GITHUB_URL: optionalText.refine((value) => value === undefined || /^https?:\/\//.test(value), {
    message: "must be an http(s) URL such as https://github.example.com",
  }),
  AUTH_OIDC_ISSUER: optionalText,
  AUTH_OIDC_ID: optionalText,
  AUTH_OIDC_SECRET: optionalText,
  AUTH_OIDC_NAME: optionalText,
  // Exceptions to the refusal of cloud metadata and link-local addresses for upstream servers.
  MCPHUB_OUTBOUND_ALLOW: optionalText.superRefine((value, ctx) => {
    for (const entry of value?.split(",") ?? []) {
      const problem = allowlistEntryProblem(entry);
      if (problem)
        ctx.addIssue({
          code: "custom",
          message: `${problem} (comma-separated host names, addresses or CIDR ranges)`,
        });
    }
  }),
  // The built-in servers' APIs (lib/builtin): GitHub Enterprise Server's is https://HOST/api/v3.
  GITHUB_API_URL: apiUrl("https://api.github.com"),
  NOTION_API_URL: apiUrl("https://api.notion.com"),
  PORT: optionalText.transform((value) => value ?? "3000"),
  // Days the call log and the admin trail are kept; when set it overrides /admin/settings.
  MCPHUB_AUDIT_RETENTION_DAYS: optionalText
    .refine(
      (value) =>
        value === undefined || (/^\d{1,4}$/.test(value) && Number(value) >= 1 && Number(value) <= 3650),
      {
        message: "must be a whole number of days from 1 to 3650, such as 90",
      },
    )
    .transform((value) => (value === undefined ? undefined : Number(value))),
  // Rate-limit counters (lib/limits): Redis when set, else the database table rate_limit_windows.
  REDIS_URL: optionalText.refine(
    (value) => value === undefined || (/^rediss?:\/\/[^\s]+$/.test(value) && URL.canParse(value)),
    { message: "must be a redis:// or rediss:// URL, such as redis://127.0.0.1:6379/0" },
  ),
  // The bearer token Prometheus sends to /api/metrics (admins' keys work too).
  MCPHUB_METRICS_TOKEN: optionalText.refine((value) => value === undefined || value.length >= 24, {
    message: "must be at least 24 characters (generate one with `openssl rand -base64 32`)",
  }),
  // OpenTelemetry traces (lib/telemetry): off unless a collector endpoint is set.
  OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: otlpUrl,
  OTEL_EXPORTER_OTLP_PROTOCOL: otlpProtocol.transform((value) => value ?? "http/protobuf"),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: otlpProtocol,
  OTEL_SERVICE_NAME: optionalText.transform((value) => value ?? "mcphub"),
  OTEL_SDK_DISABLED: optionalText
    .pipe(z.enum(["true", "false"], { message: "must be true or false" }).optional())
    .transform((value) => value === "true"),
});

export type HubEnv = z.output<typeof envSchema>;

let cached: HubEnv | undefined;

/** Parses the hub's environment once; every problem is reported with its variable name. */
export function getEnv(source: NodeJS.ProcessEnv = process.env): HubEnv {
  if (source === process.env && cached) return cached;
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join("; ")}`);
  }
  const env = parsed.data;
  if (env.MCPHUB_ADMIN_PASSWORD && !env.MCPHUB_ADMIN_EMAIL) {
    throw new ConfigError(
      "MCPHUB_ADMIN_PASSWORD is set without MCPHUB_ADMIN_EMAIL: set both to bootstrap an admin",
    );
  }
  if (env.MCPHUB_ADMIN_API_KEY && !env.MCPHUB_ADMIN_EMAIL) {
    throw new ConfigError("MCPHUB_ADMIN_API_KEY needs MCPHUB_ADMIN_EMAIL: the key belongs to that admin");
  }
  if (Boolean(env.AUTH_GITHUB_ID) !== Boolean(env.AUTH_GITHUB_SECRET)) {
    throw new ConfigError("Set both AUTH_GITHUB_ID and AUTH_GITHUB_SECRET for GitHub sign-in, or neither");
  }
  const oidc = [env.AUTH_OIDC_ISSUER, env.AUTH_OIDC_ID, env.AUTH_OIDC_SECRET].filter(Boolean).length;
  if (oidc !== 0 && oidc !== 3) {
    throw new ConfigError(
      "Set AUTH_OIDC_ISSUER, AUTH_OIDC_ID and AUTH_OIDC_SECRET together for OpenID Connect sign-in",
    );
  }
  if (source === process.env) cached = env;
  return env;
}

/** True when no DATABASE_URL is set and the hub keeps its data in PGlite under MCPHUB_DATA_DIR. */
export function isEmbedded(env: HubEnv = getEnv()): boolean {
  return env.DATABASE_URL === undefined;
}

/** GitHub's web base (OAuth pages) and REST API base: the public ones unless Enterprise Server is set. */
export function getGithubUrls(env: HubEnv = getEnv()): { web: string; api: string } {
  const web = (env.AUTH_GITHUB_URL ?? "https://github.com").replace(/\/+$/, "");
  const api = env.GITHUB_API_URL ?? (env.AUTH_GITHUB_URL ? `${web}/api/v3` : "https://api.github.com");
  return { web, api: api.replace(/\/+$/, "") };
}

/** The URL people reach the hub at, without a trailing slash. */
export function getPublicUrl(env: HubEnv = getEnv()): string {
  return (env.MCPHUB_PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, "");
}
