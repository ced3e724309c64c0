import pino from "pino";
import { requestLogFields } from "@/lib/telemetry/request-scope";

/**
 * Structured JSON logs. Paths that could carry a secret are censored by name, so a careless
 * `logger.info({ headers })` cannot leak a key or a token.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: "mcphub" },
  // The request id (and, for MCP, the method) of the request being served, on every line.
  mixin: requestLogFields,
  redact: {
    paths: [
      "password",
      "*.password",
      "key",
      "*.key",
      "token",
      "*.token",
      "secret",
      "*.secret",
      "authorization",
      "*.authorization",
      "headers.authorization",
      "headers.cookie",
      "*.headers.authorization",
      "*.headers.cookie",
    ],
    censor: "[redacted]",
  },
});
