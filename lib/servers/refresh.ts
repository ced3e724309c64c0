import type { Server, User } from "@/lib/db/schema";
import { type ProbeResult, probeServer } from "@/lib/upstream/probe";
import { recordServerStatus } from "./queries";
import type { ServerConfig } from "./schemas";

const DEFAULT_LIST_TIMEOUT_MS = 10_000;

/** Connects to a saved server as the admin, lists its tools, and records the tools or the error. */
export async function refreshServerTools(
  server: Server,
  admin: Pick<User, "id" | "email">,
): Promise<ProbeResult> {
  const result = await probeServer(
    server.config,
    admin,
    {},
    server.config.listTimeoutMs ?? DEFAULT_LIST_TIMEOUT_MS,
  );
  await recordProbe(server.id, result);
  return result;
}

/** Records what a probe of a saved server found: its tools and negotiated revision, or its error. */
export function recordProbe(serverId: string, result: ProbeResult): Promise<void> {
  return recordServerStatus(
    serverId,
    result.ok ? { tools: result.tools, protocolVersion: result.protocolVersion } : { error: result.error },
  );
}

/** Probes a submitted configuration without saving anything. */
export function probeConfig(config: ServerConfig, admin: Pick<User, "id" | "email">): Promise<ProbeResult> {
  return probeServer(config, admin, {}, config.listTimeoutMs ?? DEFAULT_LIST_TIMEOUT_MS);
}

/** True when two configurations are the same, whatever the key order (jsonb reorders keys). */
export function sameConfig(a: ServerConfig, b: ServerConfig): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
