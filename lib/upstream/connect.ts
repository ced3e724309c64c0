import { Client, SSEClientTransport, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import packageJson from "@/package.json";
import type { ResolvedUpstream } from "./resolve";

export type ConnectOptions = {
  /** Milliseconds to wait for `initialize`. */
  timeoutMs: number;
  /** Receives the stdio child's stderr (default: discarded, so an upstream cannot flood the hub's log). */
  onStderr?: (chunk: string) => void;
};

/**
 * Opens an MCP client connection to one upstream. stdio children get only the SDK's short
 * environment allowlist plus the server's own `env`: never the hub's environment, so no
 * DATABASE_URL, AUTH_SECRET or MCPHUB_SECRET_KEY reaches them.
 */
export async function connectUpstream(upstream: ResolvedUpstream, options: ConnectOptions): Promise<Client> {
  const client = new Client({ name: "mcphub", version: packageJson.version }, { capabilities: {} });
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
            requestInit: { headers: upstream.headers },
            eventSourceInit: { fetch: withHeaders(upstream.headers) },
          })
        : new StreamableHTTPClientTransport(new URL(upstream.url), {
            requestInit: { headers: upstream.headers },
          });
  if (transport instanceof StdioClientTransport) {
    transport.stderr?.on("data", (chunk: Buffer) => options.onStderr?.(chunk.toString("utf8")));
  }
  await withTimeout(client.connect(transport), options.timeoutMs, "initialize", () => client.close());
  return client;
}

function withHeaders(headers: Record<string, string>) {
  return (url: string | URL, init?: RequestInit) =>
    fetch(url, { ...init, headers: { ...Object.fromEntries(new Headers(init?.headers)), ...headers } });
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
