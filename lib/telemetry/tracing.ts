import type * as OtelApi from "@opentelemetry/api";

/**
 * What route code needs to trace, set once by `startTracing` (lib/telemetry/start.ts) when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set. It lives on globalThis because Next.js loads instrumentation
 * and route bundles as separate module graphs. Route code only imports types from
 * @opentelemetry/api: with tracing off nothing of OpenTelemetry is loaded and every hook is one
 * property read.
 */
export type Tracing = { api: typeof OtelApi; tracer: OtelApi.Tracer };

const holder = globalThis as typeof globalThis & { __mcphubTracing?: Tracing };

export function getTracing(): Tracing | undefined {
  return holder.__mcphubTracing;
}

export function setTracing(tracing: Tracing | undefined): void {
  holder.__mcphubTracing = tracing;
}

/** Longest attribute value exported: client-chosen strings (tool names, ids) cannot bloat spans. */
export const MAX_ATTRIBUTE_LENGTH = 256;

/** A client-chosen string cut to a length fit for an attribute or a span name. */
export function clip(value: string, max = MAX_ATTRIBUTE_LENGTH): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}
