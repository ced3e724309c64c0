import type { Server } from "@/lib/db/schema";
import type { ServerInput } from "./schemas";

/** A stored server in the contract's shape (§3): REST answers, the edit form and exports use it. */
export function toServerInput(server: Server): ServerInput {
  const { config } = server;
  const common = {
    name: server.name,
    ...(server.description && { description: server.description }),
    enabled: server.enabled,
    isolation: server.isolation,
    riskLevel: server.riskLevel,
    ...(server.toolPrefix !== null && { toolPrefix: server.toolPrefix }),
    ...(config.callTimeoutMs !== undefined && { callTimeoutMs: config.callTimeoutMs }),
    ...(config.listTimeoutMs !== undefined && { listTimeoutMs: config.listTimeoutMs }),
    ...(config.protocolVersion !== undefined && { protocolVersion: config.protocolVersion }),
  };
  switch (config.type) {
    case "stdio":
      return {
        ...common,
        type: "stdio",
        command: config.command,
        args: config.args,
        env: config.env,
        ...(config.idleTimeoutMs !== undefined && { idleTimeoutMs: config.idleTimeoutMs }),
      };
    case "builtin":
      return { ...common, type: "builtin", builtin: config.builtin };
    default:
      return {
        ...common,
        type: config.type,
        url: config.url,
        headers: config.headers,
        ...(config.contextHeaders && { contextHeaders: true }),
      };
  }
}
