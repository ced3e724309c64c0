import path from "node:path";
import type { Client } from "@modelcontextprotocol/client";
import type { Server } from "@/lib/db/schema";
import type { TemplateValues } from "@/lib/templates/template";
import type { UpstreamCaller } from "@/lib/upstream/request-context";
import { resolveUpstream } from "@/lib/upstream/resolve";
import { absolutize, processEnvironment } from "./launch";
import { getProcessManager, type ProcessManager } from "./manager";

/** Servers whose connections run over a managed, sandboxed process of the caller's own. */
export function isIsolatedProcess(server: Pick<Server, "isolation" | "config">): boolean {
  return server.isolation === "process" && server.config.type === "stdio";
}

export function processManager(): ProcessManager {
  return getProcessManager();
}

/** $MCPHUB_DATA_DIR/homes/<user>/<server>: the value of ${MCPHUB_USER_HOME} for this person. */
export function userHome(userId: string, serverId: string): string {
  return path.join(processManager().settings.homesDir, userId, serverId);
}

/**
 * The pool's way to an isolated server: expands the configuration for this person (with
 * ${MCPHUB_USER_HOME}), then asks the manager for their process, started if needed, and returns the
 * MCP client over it. A template error (a credential not linked) is thrown before anything starts.
 */
export async function connectIsolatedProcess(
  server: Server,
  caller: UpstreamCaller,
  values: TemplateValues,
  timeoutMs: number,
): Promise<Client> {
  if (server.config.type !== "stdio") throw new Error(`${server.name} is not a stdio server`);
  const manager = processManager();
  const home = userHome(caller.userId, server.id);
  const upstream = resolveUpstream(server.config, {
    ...values,
    context: { ...values.context, MCPHUB_USER_HOME: home },
  });
  if (upstream.type !== "stdio") throw new Error(`${server.name} is not a stdio server`);
  return manager.ensure(
    {
      userId: caller.userId,
      userEmail: caller.email,
      serverId: server.id,
      serverName: server.name,
      configVersion: server.configVersion,
      idleMs: server.config.idleTimeoutMs ?? manager.settings.defaultIdleMs,
      protocolVersion: server.config.protocolVersion,
    },
    () => ({
      command: absolutize(upstream.command),
      args: upstream.args.map((arg) => absolutize(arg)),
      env: processEnvironment(upstream.env),
    }),
    timeoutMs,
  );
}

/** Why a person's isolated process of this server ended ("the process was killed by SIGKILL"). */
export function processExitReason(server: Server, userId: string): string | undefined {
  const reason = processManager().exitReason({
    userId,
    serverId: server.id,
    configVersion: server.configVersion,
  });
  return reason ? `the process ended (${reason})` : undefined;
}
