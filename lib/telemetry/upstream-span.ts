import type { Attributes } from "@opentelemetry/api";
import { clip, getTracing } from "./tracing";

/** The parts of a server's configuration a span may show: its name and how it is reached. */
export type TracedServer = { name: string; config: { type: string; url?: string } };

/**
 * Runs one call to an upstream inside a CLIENT span (`<method> <tool>`, the MCP conventions' client
 * span) that names the server, its transport and the outcome. Inside it, HTTP requests to the
 * upstream carry the span as `traceparent` (see `injectTraceHeaders`). Error messages are not
 * exported: an upstream's text may quote a URL with a token; `classify` gives the error class.
 */
export async function traceUpstreamCall<T>(
  server: TracedServer,
  method: string,
  target: string | undefined,
  call: () => Promise<T>,
  classify: (error: unknown) => string = defaultClass,
): Promise<T> {
  const tracing = getTracing();
  if (!tracing) return call();
  const { api, tracer } = tracing;
  const span = tracer.startSpan(target ? `${method} ${clip(target, 128)}` : method, {
    kind: api.SpanKind.CLIENT,
    attributes: {
      "mcp.method.name": method,
      "mcphub.server.name": server.name,
      "mcphub.server.transport": server.config.type,
      ...transportAttributes(server.config),
      ...(method === "tools/call" &&
        target && { "gen_ai.tool.name": clip(target), "gen_ai.operation.name": "execute_tool" }),
    },
  });
  try {
    const result = await api.context.with(api.trace.setSpan(api.context.active(), span), call);
    const toolError = (result as { isError?: unknown } | null)?.isError === true;
    span.setAttribute("mcphub.upstream.outcome", toolError ? "tool_error" : "ok");
    if (toolError) {
      span.setAttribute("error.type", "tool_error");
      span.setStatus({ code: api.SpanStatusCode.ERROR, message: "tool_error" });
    }
    return result;
  } catch (error) {
    const errorClass = classify(error);
    span.setAttribute("mcphub.upstream.outcome", "error");
    span.setAttribute("error.type", errorClass);
    span.setStatus({ code: api.SpanStatusCode.ERROR, message: errorClass });
    throw error;
  } finally {
    span.end();
  }
}

function transportAttributes(config: TracedServer["config"]): Attributes {
  if (config.type === "stdio") return { "network.transport": "pipe" };
  if (config.type !== "sse" && config.type !== "streamable-http") return {};
  const attributes: Attributes = { "network.transport": "tcp", "network.protocol.name": "http" };
  // Only a literal host: a templated URL may expand to something per person.
  if (config.url && !config.url.includes("${") && URL.canParse(config.url)) {
    const url = new URL(config.url);
    attributes["server.address"] = url.hostname;
    attributes["server.port"] = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  }
  return attributes;
}

function defaultClass(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "number") return String(code);
  if (error instanceof Error && /timed? ?out/i.test(error.message)) return "timeout";
  return error instanceof Error ? error.name : "_OTHER";
}

/** Adds `traceparent` (and `tracestate`) of the active span to an upstream HTTP request's headers. */
export function injectTraceHeaders(headers: Headers): void {
  const tracing = getTracing();
  if (!tracing) return;
  tracing.api.propagation.inject(tracing.api.context.active(), headers, {
    set: (carrier, key, value) => carrier.set(key, value),
  });
}

/** The active span's trace context for an upstream request's `params._meta` (SEP-414), if tracing. */
export function traceMeta(): Record<string, string> | undefined {
  const tracing = getTracing();
  if (!tracing) return undefined;
  const carrier: Record<string, string> = {};
  tracing.api.propagation.inject(tracing.api.context.active(), carrier);
  return carrier.traceparent ? carrier : undefined;
}
