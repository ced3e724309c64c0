import { randomUUID } from "node:crypto";
import { SdkError, SdkErrorCode } from "@modelcontextprotocol/client";
import {
  type CallToolResult,
  type InputRequiredResult,
  inputRequired,
  ProtocolError,
  ProtocolErrorCode,
  type Tool,
  UrlElicitationRequiredError,
} from "@modelcontextprotocol/server";
import { checkRateLimit } from "@/lib/limits/check";
import { countToolCall } from "@/lib/metrics/hub-metrics";
import { traceMeta, traceUpstreamCall } from "@/lib/telemetry/upstream-span";
import { BROKEN_ANSWER_CODE } from "@/lib/upstream/answer-guard";
import { Deadline, SDK_TIMEOUT_DISABLED } from "@/lib/upstream/deadline";
import { isInputRequired, type PassedInput, requestUpstream } from "@/lib/upstream/input-required";
import { DEFAULT_CALL_TIMEOUT_MS, getUpstreamPool, type UpstreamCaller } from "@/lib/upstream/pool";
import { describeError } from "@/lib/upstream/probe";
import { type RelayTarget, unrelayed } from "@/lib/upstream/relay";
import { requestContext } from "@/lib/upstream/request-context";
import { isSessionLost } from "@/lib/upstream/session-lost";
import { recordCall } from "./call-log";
import { buildToolCatalog, linkMessage, linkUrl } from "./catalog";
import { getVisibleServers, type Scope } from "./visibility";

/**
 * The JSON-RPC error code of a call refused by a rate limit: in the range JSON-RPC leaves to
 * implementations (-32000 to -32099), 29 after HTTP's 429. `data` holds retryAfterSeconds, limit
 * and scope (docs/decisions/0012-rate-limits.md).
 */
export const RATE_LIMITED = -32029;

/** Who is calling, and through which key (null: from the portal's "try a tool" form). */
export type McpPrincipal = { userId: string; email: string; keyId: string | null };

export type CallOptions = {
  requestId: string;
  signal?: AbortSignal;
  /** Set when the client asked for progress; upstream progress is passed on through it. */
  onProgress?: (progress: { progress: number; total?: number; message?: string }) => void;
  /**
   * How to send a person to link a missing credential, when their client can open a URL for them:
   * the -32042 error of 2025-11-25, or an `input_required` result of 2026-07-28. Unset: a tool
   * error whose text names the page.
   */
  linkBy?: "url-elicitation-error" | "input-required";
  /**
   * Where the upstream's questions (elicitation, sampling) and log lines for this call go: the
   * person's client, through the request being served. Unset (the portal's form, the REST API):
   * questions are refused with the reason, log lines dropped.
   */
  relayTo?: Omit<RelayTarget, "deadline">;
  /**
   * Set for a 2026-07-28 client: an upstream that speaks 2026-07-28 may answer with its own
   * `input_required` result, which goes to the client with its requestState sealed; the retry
   * brings the answers and that state back here (lib/upstream/input-required.ts).
   */
  passInput?: PassedInput;
};

/** The tools one person sees through one scope, with their exposed names. */
export async function listToolsFor(
  principal: McpPrincipal,
  scope: Scope,
  requestId: string,
): Promise<Tool[]> {
  const visible = (await getVisibleServers(principal.userId, scope)) ?? [];
  return (await buildToolCatalog(visible, callerOf(principal, requestId))).items;
}

function callerOf(principal: McpPrincipal, requestId: string): UpstreamCaller {
  return { userId: principal.userId, email: principal.email, requestId };
}

/**
 * Routes a `tools/call` by exact lookup of the exposed name among the tools this person can see,
 * calls the upstream over the person's (or the shared) connection and logs the call. A name the
 * person cannot see is answered exactly like one that does not exist; an upstream that fails,
 * hangs or disappears becomes an `isError` result that names the server.
 */
export async function callToolFor(
  principal: McpPrincipal,
  scope: Scope,
  name: string,
  args: Record<string, unknown> | undefined,
  options: CallOptions & { linkBy?: undefined },
): Promise<CallToolResult>;
export async function callToolFor(
  principal: McpPrincipal,
  scope: Scope,
  name: string,
  args: Record<string, unknown> | undefined,
  options: CallOptions,
): Promise<CallToolResult | InputRequiredResult>;
export async function callToolFor(
  principal: McpPrincipal,
  scope: Scope,
  name: string,
  args: Record<string, unknown> | undefined,
  options: CallOptions,
): Promise<CallToolResult | InputRequiredResult> {
  const startedAt = new Date();
  const started = performance.now();
  const who = callerOf(principal, options.requestId);
  const visible = (await getVisibleServers(principal.userId, scope)) ?? [];
  const route = (await buildToolCatalog(visible, who)).routes.get(name);
  if (!route) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown tool: ${name}`);
  const binding = { userId: principal.userId, method: "tools/call", name };
  const argumentBytes = Buffer.byteLength(JSON.stringify(args ?? {}));
  const log = (status: string, errorClass: string | null, result?: unknown) => {
    const durationMs = performance.now() - started;
    countToolCall({
      server: route.server.name,
      status,
      errorClass,
      seconds: durationMs / 1000,
      // Answered by the hub itself: their (near zero) time would skew the upstream's latency.
      upstream: status !== "rate_limited" && errorClass !== "credential_missing",
    });
    recordCall({
      at: startedAt,
      userId: principal.userId,
      keyId: principal.keyId,
      serverId: route.server.id,
      serverName: route.server.name,
      tool: route.upstreamName,
      status,
      durationMs: Math.round(durationMs),
      errorClass,
      requestId: options.requestId,
      argumentBytes,
      resultBytes: result === undefined ? null : Buffer.byteLength(JSON.stringify(result)),
    });
  };
  if (route.missingCredential) {
    log("error", "credential_missing");
    const message = `${route.server.name}: ${linkMessage(route.missingCredential)}`;
    const url = linkUrl(route.missingCredential);
    if (options.linkBy === "url-elicitation-error")
      throw new UrlElicitationRequiredError(
        [{ mode: "url", elicitationId: randomUUID(), url, message }],
        message,
      );
    if (options.linkBy === "input-required")
      return inputRequired({
        inputRequests: { [`link_${route.missingCredential}`]: inputRequired.elicitUrl({ url, message }) },
      });
    return { isError: true, content: [{ type: "text", text: message }] };
  }
  // After routing (an unknown or invisible tool stays "Unknown tool") and before the upstream.
  const limited = await checkRateLimit({
    userId: principal.userId,
    serverId: route.server.id,
    serverName: route.server.name,
  });
  if (!limited.allowed) {
    log("rate_limited", `rate_limit_${limited.limit.scope}`);
    throw new ProtocolError(RATE_LIMITED, limited.message, {
      retryAfterSeconds: limited.retryAfterSeconds,
      limit: limited.limit.callsPerMinute,
      scope: limited.limit.scope,
      ...(limited.limit.scope === "server" && { server: route.server.name }),
    });
  }
  const timeout = route.server.config.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  try {
    const callOnce = async () => {
      const connection = await getUpstreamPool().acquire(route.server, who);
      const meta = traceMeta(); // telemetry hook: the trace context in params._meta (SEP-414)
      // The hub's clock, not the SDK's: it stops while the person answers the upstream's question.
      const deadline = new Deadline(timeout);
      const cancel = () => deadline.abort(options.signal?.reason);
      if (options.signal?.aborted) cancel();
      options.signal?.addEventListener("abort", cancel, { once: true });
      const target: RelayTarget = { ...(options.relayTo ?? unrelayed(principal.userId)), deadline };
      try {
        const request = { name: route.upstreamName, arguments: args ?? {}, ...(meta && { _meta: meta }) };
        const sendOptions = {
          timeout: SDK_TIMEOUT_DISABLED,
          signal: deadline.signal,
          ...(options.onProgress && {
            onprogress: (progress: Parameters<NonNullable<CallOptions["onProgress"]>>[0]) => {
              deadline.restart();
              options.onProgress?.(progress);
            },
          }),
        };
        return await requestUpstream(
          {
            client: connection.client,
            relay: connection.relay,
            server: route.server,
            target,
            signal: deadline.signal,
            binding,
            passInput: options.passInput,
          },
          (params, allowInputRequired) =>
            connection.client.callTool(
              params ? { ...request, ...params, _meta: { ...request._meta, ...params._meta } } : request,
              { ...sendOptions, ...(allowInputRequired && { allowInputRequired }) },
            ),
        );
      } catch (error) {
        if (isSessionLost(error)) await getUpstreamPool().discard(connection);
        throw explainFailure(error, connection.closedReason, timeout);
      } finally {
        deadline.dispose();
        options.signal?.removeEventListener("abort", cancel);
      }
    };
    const result = await requestContext.run(who, () =>
      // telemetry hook: a client span for the upstream call (both tries)
      traceUpstreamCall(
        route.server,
        "tools/call",
        route.upstreamName,
        async () => {
          try {
            return await callOnce();
          } catch (error) {
            // The upstream forgot our session (it restarted): it refused the request before running it,
            // so one retry on a fresh session is safe.
            if (isSessionLost(error)) return callOnce();
            throw error;
          }
        },
        errorClass,
      ),
    );
    if (isInputRequired(result)) {
      log("input_required", null, result);
      return result as InputRequiredResult;
    }
    log(result.isError ? "tool_error" : "ok", null, result);
    return result as CallToolResult;
  } catch (error) {
    if (error instanceof ProtocolError && error.code === ProtocolErrorCode.InvalidParams) {
      log("error", "invalid_params");
      throw error;
    }
    // A 2026-07-28 client is told which capability to declare (an isError result would hide it).
    if (options.passInput && error instanceof ProtocolError && error.code === MISSING_CAPABILITY) {
      log("error", "missing_capability");
      throw error;
    }
    // The client cancelled or went away: whatever the upstream call failed with, that is why.
    log("error", options.signal?.aborted ? "cancelled" : errorClass(error));
    return {
      isError: true,
      content: [{ type: "text", text: `${route.server.name}: ${describeError(error)}` }],
    };
  }
}

/** -32021: the request needs a client capability its `_meta` did not declare (2026-07-28). */
const MISSING_CAPABILITY = -32021;

/**
 * The SDK's own words for a call that timed out ("Request timed out") or lost its connection
 * ("Connection closed") do not say how long the hub waited or why the connection went: these do.
 */
function explainFailure(error: unknown, closedReason: string | undefined, timeoutMs: number): unknown {
  if (!(error instanceof SdkError)) return error;
  if (error.code === SdkErrorCode.RequestTimeout)
    return Object.assign(
      new Error(`did not answer within ${timeoutMs} ms (the server's call timeout); the call was cancelled`),
      { code: "TIMEOUT" },
    );
  if (error.code === SdkErrorCode.ConnectionClosed)
    return new Error(
      `${closedReason ?? "the connection to the server closed"} while the call ran; the next call reconnects`,
    );
  return error;
}

function errorClass(error: unknown): string {
  const text =
    error instanceof Error
      ? `${error.name} ${error.message} ${(error as { code?: unknown }).code ?? ""}`
      : String(error);
  if (/timed? ?out|TIMEOUT/i.test(text)) return "timeout";
  if (error instanceof ProtocolError && error.code === BROKEN_ANSWER_CODE) return "upstream_bad_answer";
  if (/abort|cancel/i.test(text)) return "cancelled";
  if (/unavailable|ECONNREFUSED|closed|exited|ended|fetch failed|CONNECTION/i.test(text))
    return "upstream_unavailable";
  if (error instanceof ProtocolError) return `protocol_${error.code}`;
  return "upstream_error";
}

export type ServerTools = { server: string; description: string | null; tools: Tool[] };

/** The person's tools grouped by server, plus the servers that could not be listed right now. */
export async function listToolsByServer(
  principal: McpPrincipal,
  scope: Scope,
  requestId: string,
): Promise<{ servers: ServerTools[]; failed: string[] }> {
  const visible = (await getVisibleServers(principal.userId, scope)) ?? [];
  const catalog = await buildToolCatalog(visible, callerOf(principal, requestId));
  const byServer = new Map<string, ServerTools>();
  for (const tool of catalog.items) {
    const server = catalog.routes.get(tool.name)?.server;
    if (!server) continue;
    const entry = byServer.get(server.name) ?? {
      server: server.name,
      description: server.description,
      tools: [],
    };
    entry.tools.push(tool);
    byServer.set(server.name, entry);
  }
  return { servers: [...byServer.values()], failed: catalog.failed };
}
