import { processWide } from "@/lib/process-wide";
import { Counter, Histogram } from "./registry";

/**
 * The hub's own counters, one set per process. Labels are bounded: server names and fixed status
 * words, never a person, a key, a tool's arguments or anything secret.
 */
type HubMetrics = {
  toolCalls: Counter;
  callErrors: Counter;
  callDuration: Histogram;
  keyCache: Counter;
  rateLimitRefusals: Counter;
  rateLimitStoreErrors: Counter;
  upstreamRequests: Counter;
};

// On globalThis: the MCP route counts, /api/metrics reads, and Next.js bundles them separately.
export const hubMetrics = processWide<HubMetrics>("hubMetrics", () => ({
  toolCalls: new Counter("mcphub_tool_calls_total", "tools/call requests by server and how they ended"),
  callErrors: new Counter(
    "mcphub_tool_call_errors_total",
    "tools/call requests that got no result from the upstream, by server and error class",
  ),
  callDuration: new Histogram(
    "mcphub_tool_call_duration_seconds",
    "Time from routing a tools/call to its answer, for calls sent to the upstream, by server",
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  ),
  keyCache: new Counter(
    "mcphub_key_cache_lookups_total",
    "MCPHub key authentications answered from the one-second cache (hit) or the database (miss)",
  ),
  rateLimitRefusals: new Counter(
    "mcphub_rate_limit_refusals_total",
    "Calls refused by a rate limit, by scope",
  ),
  rateLimitStoreErrors: new Counter(
    "mcphub_rate_limit_store_errors_total",
    "Rate-limit checks that could not reach the counter store and let the call through",
  ),
  upstreamRequests: new Counter(
    "mcphub_upstream_requests_total",
    "Questions upstreams asked during calls (elicitation, sampling), by server, method and outcome: " +
      "answered, failed (not answered: an error, no answer in time, too many calls waiting), unattributed (no request of a person " +
      "to pass it to), no_stream (the request cannot carry it), missing_capability (the client did not declare it)",
  ),
}));

/** One finished tools/call. `upstream` is false when the hub answered without sending it on. */
export function countToolCall(call: {
  server: string;
  status: string;
  errorClass: string | null;
  seconds: number;
  upstream: boolean;
}): void {
  hubMetrics.toolCalls.inc({ server: call.server, status: call.status });
  if (call.status === "error" && call.errorClass)
    hubMetrics.callErrors.inc({ server: call.server, class: call.errorClass });
  if (call.upstream) hubMetrics.callDuration.observe({ server: call.server }, call.seconds);
}
