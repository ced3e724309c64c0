import type { Server, ToolSnapshot } from "@/lib/db/schema";
import { exposedToolName, serverPrefix } from "@/lib/mcp/names";
import { templatedValues, templateNeeds } from "./needs";

/**
 * The isolation of a stored server with the reason it matters, as the admin list shows it:
 * "process: high risk", "token: per-person credentials (GITHUB_TOKEN)", "none: one shared connection".
 */
export function describeIsolation(server: Pick<Server, "isolation" | "riskLevel" | "config">): {
  label: string;
  reason: string;
} {
  const needs = templateNeeds(templatedValues(server.config));
  const highRisk = server.riskLevel === "high" || server.riskLevel === "critical";
  switch (server.isolation) {
    case "builtin":
      return { label: "builtin", reason: "served by the hub itself" };
    case "process":
      if (highRisk) return { label: "process", reason: `${server.riskLevel} risk` };
      if (needs.credentials.length > 0)
        return { label: "process", reason: `per-person credentials (${needs.credentials.join(", ")})` };
      if (needs.context.length > 0) return { label: "process", reason: "per-person values" };
      return { label: "process", reason: "one process per person" };
    case "token":
      if (needs.credentials.length > 0)
        return { label: "token", reason: `per-person credentials (${needs.credentials.join(", ")})` };
      return { label: "token", reason: "one connection per person" };
    default:
      return highRisk && server.config.type === "stdio"
        ? { label: "none", reason: `shared by everyone despite ${server.riskLevel} risk` }
        : { label: "none", reason: "one shared connection" };
  }
}

/** A tool as admin pages show it: the upstream's name and the name clients see. */
export type ExposedTool = { name: string; exposed: string; description?: string };

export function exposedTools(
  server: { name: string; toolPrefix: string | null },
  tools: ToolSnapshot[],
): ExposedTool[] {
  const prefix = serverPrefix(server);
  return tools.map((tool) => ({
    name: tool.name,
    exposed: exposedToolName(prefix, tool.name),
    description: tool.description,
  }));
}

export type ServerStatus =
  | { kind: "error"; error: string; at: Date }
  | { kind: "tools"; count: number; at: Date | null; protocolVersion: string | null }
  | { kind: "builtin" }
  | { kind: "unlisted" };

/** The server's last known state: its latest listing, or its error when that came later. */
export function describeStatus(
  server: Pick<Server, "type" | "tools" | "toolsListedAt" | "protocolVersion" | "lastError" | "lastErrorAt">,
): ServerStatus {
  const errorIsNewer =
    server.lastError &&
    server.lastErrorAt &&
    (!server.toolsListedAt || server.lastErrorAt >= server.toolsListedAt);
  if (errorIsNewer && server.lastError && server.lastErrorAt)
    return { kind: "error", error: server.lastError, at: server.lastErrorAt };
  if (server.tools)
    return {
      kind: "tools",
      count: server.tools.length,
      at: server.toolsListedAt,
      protocolVersion: server.protocolVersion,
    };
  return server.type === "builtin" ? { kind: "builtin" } : { kind: "unlisted" };
}
