import { randomUUID } from "node:crypto";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { getServerByNameOrThrow } from "@/lib/servers/queries";
import { TemplateError } from "@/lib/templates/template";
import { getUpstreamPool } from "@/lib/upstream/pool";
import { getUserById } from "@/lib/users/queries";
import { getSandbox, type SandboxLayer } from "./detect";
import { isIsolatedProcess, processManager } from "./isolated";
import { existingProcessManager, type ProcessInfo } from "./manager";
import { readProcessSettings } from "./settings";

/**
 * What the worker routes (/api/worker/processes) and the admin page (/admin/processes) do: the
 * same functions serve both. Callers check that the caller is an admin.
 */

export const startProcessSchema = z
  .object({
    userId: z.string({ error: "userId is required: the id of the person (GET /api/v1/users)" }).uuid({
      error: "userId must be a user id (a UUID, see GET /api/v1/users)",
    }),
    server: z
      .string({ error: "server is required: the name of a stdio server with isolation process" })
      .min(1, { error: "server is required: the name of a stdio server with isolation process" }),
  })
  .strict();

/** Every process the hub manages, newest state first. */
export function listProcesses(): ProcessInfo[] {
  return existingProcessManager()?.list() ?? [];
}

/** The sandbox layers and whether each is in force on this machine. */
export function sandboxLayers(): SandboxLayer[] {
  return (existingProcessManager()?.sandbox ?? getSandbox(readProcessSettings())).layers;
}

/** Starts (or finds running) the person's process for a server, as their first call would. */
export async function startProcess(input: unknown): Promise<ProcessInfo> {
  const parsed = startProcessSchema.safeParse(input);
  if (!parsed.success) throw AppError.fromZod(parsed.error, "Send {userId, server}");
  const user = await getUserById(parsed.data.userId);
  if (!user) throw new AppError("not_found", `No user has the id ${parsed.data.userId}`);
  if (user.disabled) throw new AppError("validation_failed", `${user.email} is disabled: enable them first`);
  const server = await getServerByNameOrThrow(parsed.data.server);
  if (!isIsolatedProcess(server))
    throw new AppError(
      "validation_failed",
      `${server.name} runs with isolation "${server.isolation}": only stdio servers with isolation "process" get a process per person`,
      { server: ["Pick a stdio server with isolation process"] },
    );
  if (!server.enabled) throw new AppError("validation_failed", `${server.name} is disabled: enable it first`);
  try {
    await getUpstreamPool().acquire(server, { userId: user.id, email: user.email, requestId: randomUUID() });
  } catch (error) {
    if (error instanceof TemplateError)
      throw new AppError(
        "validation_failed",
        `${server.name} cannot start for ${user.email}: ${error.message}`,
      );
    throw new AppError("validation_failed", error instanceof Error ? error.message : String(error));
  }
  const started = processManager()
    .list()
    .find(
      (p) => p.userId === user.id && p.serverId === server.id && p.configVersion === server.configVersion,
    );
  if (!started) throw new AppError("conflict", `${server.name} stopped again right after it started`);
  return started;
}

function findOrThrow(id: string) {
  const process = existingProcessManager()?.find(id);
  if (!process)
    throw new AppError(
      "not_found",
      `No isolated process has the id ${id}: GET /api/worker/processes lists the running ones`,
    );
  return process;
}

/** Stops a process (the person's next call starts a fresh one). */
export async function stopProcess(id: string): Promise<void> {
  const process = findOrThrow(id);
  await processManager().stop(process);
}

/** Stops and starts a process again, also during a crash backoff. */
export async function restartProcess(id: string): Promise<ProcessInfo> {
  const process = findOrThrow(id);
  const manager = processManager();
  try {
    await manager.restart(process);
  } catch (error) {
    throw new AppError("validation_failed", error instanceof Error ? error.message : String(error));
  }
  return manager.describe(process);
}

/** The recent stderr of a process (the last 64 KB, at most 200 lines). */
export function processLogs(id: string): { id: string; server: string; userEmail: string; stderr: string } {
  const process = findOrThrow(id);
  return {
    id,
    server: process.owner.serverName,
    userEmail: process.owner.userEmail,
    stderr: process.stderr.text(),
  };
}
