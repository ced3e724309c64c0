import type { Server } from "@/lib/db/schema";
import { serverInputSchema } from "./schemas";
import { toServerInput } from "./serialize";
import { validateServer } from "./validate";

/** A server as the REST API answers: the contract's configuration plus status and usage. */
export function presentServer(server: Server, options: { groups?: string[]; withTools?: boolean } = {}) {
  const input = toServerInput(server);
  const needs = validateServerQuietly(input);
  return {
    id: server.id,
    ...input,
    configVersion: server.configVersion,
    credentials: needs?.credentials ?? [],
    status: {
      lastError: server.lastError,
      lastErrorAt: server.lastErrorAt,
      toolCount: server.tools?.length ?? null,
      toolsListedAt: server.toolsListedAt,
      protocolVersion: server.protocolVersion,
    },
    ...(options.groups && { groups: options.groups }),
    ...(options.withTools && { tools: server.tools ?? [] }),
    createdAt: server.createdAt,
    updatedAt: server.updatedAt,
  };
}

// A stored server was valid when saved; if the hub's environment changed since (a ${NAME} gone),
// the listing still answers and the admin sees the problem when editing.
function validateServerQuietly(input: unknown) {
  try {
    return validateServer(serverInputSchema.parse(input));
  } catch {
    return undefined;
  }
}
