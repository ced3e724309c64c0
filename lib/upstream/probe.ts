import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { builtinToolSnapshot } from "@/lib/builtin";
import { getCredentialValues } from "@/lib/credentials/queries";
import type { ToolSnapshot, User } from "@/lib/db/schema";
import type { ServerConfig } from "@/lib/servers/schemas";
import { TemplateError } from "@/lib/templates/template";
import { connectUpstream, withTimeout } from "./connect";
import { credentialsNeeded } from "./needs";
import { resolveUpstream } from "./resolve";

export type ProbeResult =
  | { ok: true; tools: ToolSnapshot[]; serverName?: string; protocolVersion?: string; ms: number }
  | { ok: false; error: string; ms: number };

const MAX_PAGES = 50;

/**
 * "Test connection": connects with a submitted configuration as the admin who asked, lists every
 * page of tools, and closes. Failures come back as a message for the form, never as a throw.
 */
export async function probeServer(
  config: ServerConfig,
  admin: Pick<User, "id" | "email">,
  credentials?: Record<string, string>,
  timeoutMs = 10_000,
): Promise<ProbeResult> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  // Built-in servers run in the hub: listing their tools needs no token.
  if (config.type === "builtin")
    return {
      ok: true,
      tools: await builtinToolSnapshot(config.builtin),
      serverName: `mcphub-builtin-${config.builtin}`,
      ms: ms(),
    };
  let stderr = "";
  // A test run gets a scratch folder for ${MCPHUB_USER_HOME}, removed afterwards.
  const scratchHome = JSON.stringify(config).includes("${MCPHUB_USER_HOME}")
    ? mkdtempSync(path.join(tmpdir(), "mcphub-probe-"))
    : undefined;
  try {
    const upstream = resolveUpstream(config, {
      // The admin tests with their own linked values, like any person would call.
      credentials: credentials ?? (await getCredentialValues(admin.id, credentialsNeeded(config))),
      context: {
        MCPHUB_USER_ID: admin.id,
        MCPHUB_USER_EMAIL: admin.email,
        MCPHUB_REQUEST_ID: randomUUID(),
        ...(scratchHome && { MCPHUB_USER_HOME: scratchHome }),
      },
      hub: process.env,
    });
    const client = await connectUpstream(upstream, {
      timeoutMs,
      onStderr: (chunk) => (stderr = (stderr + chunk).slice(-2_000)),
    });
    try {
      const tools: ToolSnapshot[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const result = await withTimeout(client.listTools(cursor ? { cursor } : {}), timeoutMs, "tools/list");
        tools.push(
          ...result.tools.map((t) => ({
            name: t.name,
            description: t.description,
            inputSchema: t.inputSchema,
          })),
        );
        cursor = result.nextCursor;
        if (!cursor) break;
      }
      return {
        ok: true,
        tools,
        serverName: client.getServerVersion()?.name,
        protocolVersion: client.getNegotiatedProtocolVersion(),
        ms: ms(),
      };
    } finally {
      await client.close().catch(() => {});
    }
  } catch (error) {
    const message =
      error instanceof TemplateError
        ? `${error.message}: link it at /account/connections to test with your own value`
        : describeError(error);
    return {
      ok: false,
      error: stderr.trim() ? `${message}\nstderr: ${stderr.trim().slice(-500)}` : message,
      ms: ms(),
    };
  } finally {
    if (scratchHome) rmSync(scratchHome, { recursive: true, force: true });
  }
}

/** Network error codes as they appear in a message; spawn codes (ENOENT, EACCES) only count as real codes. */
const NETWORK_CODE_IN_TEXT =
  /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|ERR_TLS_[A-Z_]+|[A-Z_]*CERT[A-Z_]*)\b/g;

/** Turns network and spawn errors (often nested as `cause`) into a sentence an admin can act on. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  for (
    let current: unknown = error;
    current instanceof Error;
    current = (current as Error & { cause?: unknown }).cause
  ) {
    // SDK errors carry numeric codes (HTTP status, JSON-RPC), and the SSE transport keeps only the
    // text of the network error ("fetch failed: getaddrinfo ENOTFOUND …"): read codes from both.
    const own = (current as { code?: unknown }).code;
    // The outbound guard's own sentence already names the address and the fix.
    if (own === "EOUTBOUND_REFUSED") return `Refused: ${current.message}`;
    // The SSE transport keeps only the text of the error it saw.
    const refusedText =
      /\S+ (?:is a refused address|is a cloud metadata host|resolves to ).*MCPHUB_OUTBOUND_ALLOW\)/.exec(
        current.message,
      );
    if (refusedText) return `Refused: ${refusedText[0]}`;
    const candidates = [
      ...(typeof own === "string" ? [own] : []),
      ...[...current.message.matchAll(NETWORK_CODE_IN_TEXT)].map((m) => m[1]),
    ];
    for (const code of candidates) {
      const sentence = code && describeCode(code);
      if (sentence) return sentence;
    }
  }
  const cause = (error as Error & { cause?: unknown }).cause;
  const message =
    cause instanceof Error && cause.message !== error.message
      ? `${error.message}: ${cause.message}`
      : error.message;
  // The SDK's HTTP errors keep the status apart from a message that may not mention it.
  const { status, statusText } = error as { status?: unknown; statusText?: unknown };
  if (typeof status === "number" && status >= 100 && status <= 599 && !message.includes(String(status)))
    return `The server answered HTTP ${status}${typeof statusText === "string" && statusText ? ` ${statusText}` : ""}: ${message}`;
  return message;
}

function describeCode(code: string): string | undefined {
  if (code === "ECONNREFUSED") return "Connection refused: is the server running at that address and port?";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "The host name does not resolve: check the URL";
  if (code === "ECONNRESET") return "The server closed the connection while answering";
  if (code === "UND_ERR_SOCKET") return "The server closed the connection before answering";
  if (code === "ENOENT")
    return "The command was not found: check the command and that it is installed on the hub's machine";
  if (code === "EACCES") return "The command is not executable by the hub";
  if (code.startsWith("ERR_TLS") || code.includes("CERT"))
    return `The TLS handshake failed (${code}): check the certificate`;
  return undefined;
}
