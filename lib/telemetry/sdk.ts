import { randomUUID } from "node:crypto";
import * as api from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtobufExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-base";
import { logger } from "@/lib/logger";
import packageJson from "@/package.json";
import { MAX_ATTRIBUTE_LENGTH, type Tracing } from "./tracing";

export type TracingConfig = {
  /** Where spans are posted (…/v1/traces). */
  url: string;
  protocol: "http/protobuf" | "http/json";
  serviceName: string;
};

/**
 * Loaded only when OTEL_EXPORTER_OTLP_ENDPOINT is set. The provider is deliberately not registered
 * globally: Next.js would then trace every request itself, with the raw URL (and a `?key=` in it)
 * in its span names. Only the context manager and the W3C propagator are global, so spans nest
 * across awaits and `traceparent` can be read and written.
 */
export function registerTracing(config: TracingConfig): Tracing {
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  // Export failures (a collector that is down) are logged, without the exporter's headers.
  api.diag.setLogger(
    {
      error: (message) => logger.warn({ otel: message }, "OpenTelemetry export problem"),
      warn: (message) => logger.warn({ otel: message }, "OpenTelemetry export problem"),
      info: () => {},
      debug: () => {},
      verbose: () => {},
    },
    api.DiagLogLevel.WARN,
  );
  // The exporters read OTEL_EXPORTER_OTLP_HEADERS (a collector's credentials) themselves.
  const exporter =
    config.protocol === "http/json"
      ? new JsonExporter({ url: config.url })
      : new ProtobufExporter({ url: config.url });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      "service.name": config.serviceName,
      "service.version": packageJson.version,
      "service.instance.id": randomUUID(),
    }),
    spanLimits: { attributeValueLengthLimit: MAX_ATTRIBUTE_LENGTH },
    spanProcessors: [new BatchSpanProcessor(new KeyScrubbingExporter(exporter))],
  });
  return { api, tracer: provider.getTracer("mcphub", packageJson.version) };
}

const KEY_PATTERN = /mcphub_[A-Za-z0-9_-]{20,}/g;

/**
 * A last guard: an MCPHub key pasted into a client-chosen string (a tool name, a request id, and
 * so the "Unknown tool: …" status) is replaced before the span leaves the hub. The hub's own
 * attributes never hold a key.
 */
class KeyScrubbingExporter implements SpanExporter {
  constructor(private readonly inner: SpanExporter) {}

  export(spans: ReadableSpan[], done: Parameters<SpanExporter["export"]>[1]): void {
    this.inner.export(spans.map(scrub), done);
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

function scrub(span: ReadableSpan): ReadableSpan {
  const has = (value: unknown) => typeof value === "string" && value.search(KEY_PATTERN) !== -1;
  const dirty = has(span.name) || has(span.status.message) || Object.values(span.attributes).some(has);
  if (!dirty) return span;
  const clean = (value: string) => value.replace(KEY_PATTERN, "[redacted]");
  const attributes = Object.fromEntries(
    Object.entries(span.attributes).map(([name, value]) => [
      name,
      typeof value === "string" ? clean(value) : value,
    ]),
  );
  // The copy keeps the span's prototype, so spanContext() and the other readers still work.
  return Object.create(span, {
    name: { value: clean(span.name) },
    attributes: { value: attributes },
    status: {
      value: { ...span.status, ...(span.status.message && { message: clean(span.status.message) }) },
    },
  });
}
