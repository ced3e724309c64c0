import {
  Client,
  type ClientCapabilities,
  SSEClientTransport,
  StreamableHTTPClientTransport,
} from "@modelcontextprotocol/client";
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { fetch as undiciFetch } from "undici";
import type { UpstreamProtocolVersion } from "@/lib/servers/schemas";
import { injectTraceHeaders } from "@/lib/telemetry/upstream-span";
import packageJson from "@/package.json";
import { guardAnswers } from "./answer-guard";
import { assertUrlAllowed, outboundDispatcher } from "./outbound";
import { requestContext } from "./request-context";
import type { ResolvedUpstream } from "./resolve";

export type ConnectOptions = {
  /** Milliseconds to wait for `initialize`. */
  timeoutMs: number;
  /** Receives the stdio child's stderr (default: discarded, so an upstream cannot flood the hub's log). */
  onStderr?: (chunk: string) => void;
  /** Add X-MCPHub-User-Id and X-MCPHub-Request-Id of the request being served to each HTTP request. */
  contextHeaders?: boolean;
  /** What the hub declares it can do for this upstream (lib/upstream/relay.ts); default nothing. */
  capabilities?: ClientCapabilities;
  /** The MCP revision to speak (lib/servers/schemas.ts); default 2025-11-25. */
  protocolVersion?: UpstreamProtocolVersion;
};

/**
 * Opens an MCP client connection to one upstream. stdio children get only the SDK's short
 * environment allowlist plus the server's own `env`: never the hub's environment, so no
 * DATABASE_URL, AUTH_SECRET or MCPHUB_SECRET_KEY reaches them.
 */
export async function connectUpstream(upstream: ResolvedUpstream, options: ConnectOptions): Promise<Client> {
  const transport =
    upstream.type === "stdio"
      ? new StdioClientTransport({
          command: upstream.command,
          args: upstream.args,
          env: { ...getDefaultEnvironment(), ...upstream.env },
          stderr: "pipe",
        })
      : upstream.type === "sse"
        ? new SSEClientTransport(new URL(upstream.url), {
            fetch: upstreamFetch(upstream.headers, options.contextHeaders),
          })
        : new StreamableHTTPClientTransport(new URL(upstream.url), {
            // A broken answer fails its call at once instead of at the call's timeout (answer-guard.ts).
            fetch: guardAnswers(upstreamFetch(upstream.headers, options.contextHeaders)),
          });
  if (transport instanceof StdioClientTransport) {
    transport.stderr?.on("data", (chunk: Buffer) => options.onStderr?.(chunk.toString("utf8")));
  }
  return connectHubClient(transport, options);
}

type ClientTransport = Parameters<Client["connect"]>[0];

/**
 * The hub's side of every upstream connection (remote, stdio, a person's own process, a built-in
 * server): an SDK client that says what the hub can do for the upstream, initialized within
 * `timeoutMs` (closed if it is not), with responses delivered after the notifications read with them.
 */
export async function connectHubClient(
  transport: ClientTransport,
  options: Pick<ConnectOptions, "capabilities" | "protocolVersion"> & { timeoutMs?: number },
): Promise<Client> {
  const client = new Client(
    { name: "mcphub", version: packageJson.version },
    {
      capabilities: options.capabilities ?? {},
      // 2026-07-28 is asked for by name: a server that does not offer it fails to connect, with
      // the SDK's reason, instead of quietly falling back (the admin chose the revision). With
      // `auto` the SDK asks first (server/discover; over stdio in a throwaway second process) and
      // falls back to 2025-11-25 for a server that does not know the method.
      ...(options.protocolVersion === "2026-07-28" && {
        versionNegotiation: { mode: { pin: "2026-07-28" } },
      }),
      ...(options.protocolVersion === "auto" && { versionNegotiation: { mode: "auto" } }),
    },
  );
  const connecting = client.connect(transport);
  await (options.timeoutMs === undefined
    ? connecting
    : withTimeout(connecting, options.timeoutMs, "initialize", () => client.close()));
  deliverResponsesAfterNotifications(transport);
  return client;
}

/**
 * The SDK client hands notifications to their handlers a microtask later but settles responses at
 * once, so a progress notification read in the same chunk as its request's response found the
 * request gone and was dropped (the last "100 of 100" of a fast tool). Responses are delivered a
 * microtask later too, which keeps the upstream's order.
 */
function deliverResponsesAfterNotifications(transport: {
  onmessage?: (message: never, extra?: never) => void;
}) {
  const deliver = transport.onmessage;
  if (!deliver) return;
  transport.onmessage = (message, extra) => {
    const isResponse =
      typeof message === "object" &&
      message !== null &&
      "id" in message &&
      ("result" in message || "error" in message);
    if (isResponse) queueMicrotask(() => deliver(message, extra));
    else deliver(message, extra);
  };
}

/**
 * The fetch every HTTP upstream request goes through: the server's configured headers (already
 * expanded for this connection's owner) and, when enabled, the context of the request being served.
 * Nothing from the MCP client's own request is ever forwarded. Redirects are not followed (a
 * redirect to a refused address cannot sneak past the checks), addresses written in the URL are
 * checked on every request, and host names when they resolve (lib/upstream/outbound.ts).
 */
function upstreamFetch(headers: Record<string, string>, contextHeaders = false) {
  return async (url: string | URL, init?: RequestInit): Promise<Response> => {
    assertUrlAllowed(new URL(url));
    const merged = new Headers(init?.headers);
    for (const [name, value] of Object.entries(headers)) merged.set(name, value);
    const context = contextHeaders ? requestContext.getStore() : undefined;
    if (context) {
      merged.set("X-MCPHub-User-Id", context.userId);
      merged.set("X-MCPHub-Request-Id", context.requestId);
    }
    injectTraceHeaders(merged); // telemetry hook: W3C traceparent of the upstream call's span
    const response = await undiciFetch(url, {
      ...(init as Parameters<typeof undiciFetch>[1]),
      headers: [...merged],
      redirect: "manual",
      dispatcher: outboundDispatcher(),
    });
    return response as unknown as Response;
  };
}

/** Rejects after `ms` with a message naming what timed out, running `onTimeout` to clean up. */
export async function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
  onTimeout?: () => unknown,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void Promise.resolve(onTimeout?.()).catch(() => {});
      reject(new Error(`${what} timed out after ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
