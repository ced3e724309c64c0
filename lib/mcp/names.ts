import { createHash } from "node:crypto";

/** Every tool name the hub exposes matches this (the MCP SDK's rule, and the contract's). */
export const EXPOSED_NAME = /^[A-Za-z0-9_-]{1,64}$/;
export const PREFIX_SEPARATOR = "-";
const MAX_LENGTH = 64;
const HASH_LENGTH = 8;

/** A server's name made safe for tool names: anything outside [A-Za-z0-9_-] becomes "_". */
export function defaultPrefix(serverName: string): string {
  return serverName.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 40);
}

/** The prefix a server's tools get: its own `toolPrefix` ("" for none), or the safe server name. */
export function serverPrefix(server: { name: string; toolPrefix: string | null }): string {
  return server.toolPrefix ?? defaultPrefix(server.name);
}

/**
 * The name a client sees for an upstream tool: `<prefix>-<tool>`. A name that is already valid is
 * used as it is; one that is too long or holds other characters is made safe, cut, and given a
 * stable hash of the original, so the same tool always gets the same name and two altered names do
 * not collide. The hub routes by exact lookup of this name in a table, never by splitting it.
 */
export function exposedToolName(prefix: string, upstreamName: string): string {
  const full = prefix ? `${prefix}${PREFIX_SEPARATOR}${upstreamName}` : upstreamName;
  if (EXPOSED_NAME.test(full)) return full;
  const safe = full.replace(/[^A-Za-z0-9_-]/g, "_");
  const digest = createHash("sha256").update(full).digest("hex").slice(0, HASH_LENGTH);
  return `${safe.slice(0, MAX_LENGTH - HASH_LENGTH - 1)}_${digest}`;
}

/** Exposed names that more than one (server, tool) pair would produce, with who produces them. */
export function findCollisions(
  entries: Array<{ server: string; tool: string; exposed: string }>,
): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const entry of entries)
    byName.set(entry.exposed, [...(byName.get(entry.exposed) ?? []), `${entry.server}/${entry.tool}`]);
  return new Map([...byName].filter(([, owners]) => owners.length > 1));
}
