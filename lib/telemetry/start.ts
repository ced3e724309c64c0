import { getEnv } from "@/lib/config/env";
import { logger } from "@/lib/logger";
import { getTracing, setTracing } from "./tracing";

/**
 * Starts exporting traces when OTEL_EXPORTER_OTLP_ENDPOINT (or …_TRACES_ENDPOINT) is set; without it
 * the OpenTelemetry SDK is never imported. Called once from instrumentation.ts (Node runtime).
 */
export async function startTracing(): Promise<void> {
  if (getTracing()) return;
  const env = getEnv();
  const url = tracesUrl(env.OTEL_EXPORTER_OTLP_ENDPOINT, env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  if (!url || env.OTEL_SDK_DISABLED) return;
  const { registerTracing } = await import("./sdk");
  setTracing(
    registerTracing({
      url,
      protocol: env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL,
      serviceName: env.OTEL_SERVICE_NAME,
    }),
  );
  // The host only: a collector URL may carry credentials in its user part.
  logger.info(
    { collector: new URL(url).host, service: env.OTEL_SERVICE_NAME },
    "OpenTelemetry traces are on",
  );
}

/**
 * The OTLP/HTTP traces URL: a signal-specific endpoint is used as it is; the general one gets
 * `v1/traces` appended, as the OpenTelemetry specification says.
 */
export function tracesUrl(endpoint?: string, tracesEndpoint?: string): string | undefined {
  if (tracesEndpoint) return tracesEndpoint;
  if (!endpoint) return undefined;
  return `${endpoint.replace(/\/+$/, "")}/v1/traces`;
}
