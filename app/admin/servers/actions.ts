"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { adminAction, type FormState } from "@/lib/auth/actions";
import type { Server, User } from "@/lib/db/schema";
import { exposedTools } from "@/lib/servers/describe";
import { parseServerForm } from "@/lib/servers/form";
import { canProbeAsAdmin, templatedValues, templateNeeds } from "@/lib/servers/needs";
import {
  checkServerInput,
  createServer,
  deleteServer,
  getServerByName,
  getServerByNameOrThrow,
  setServerEnabled,
  updateServer,
} from "@/lib/servers/queries";
import { probeConfig, recordProbe, refreshServerTools, sameConfig } from "@/lib/servers/refresh";
import { credentialsNeeded } from "@/lib/upstream/needs";
import type { ServerSaveData, ServerTestData } from "./action-types";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function revalidateServers(name?: string) {
  revalidatePath("/admin/servers");
  if (name) revalidatePath(`/admin/servers/${encodeURIComponent(name)}`);
  revalidatePath("/admin/groups", "layout");
}

/** After a save: lists the tools when the admin can connect alone, and says what happened. */
async function listAfterSave(server: Server, admin: User): Promise<string> {
  if (server.config.type === "builtin")
    return `Built into the hub: ${plural(server.tools?.length ?? 0, "tool")}, each person calls with their own ${credentialsNeeded(server.config).join(", ")}.`;
  const needs = templateNeeds(templatedValues(server.config));
  if (!canProbeAsAdmin(needs)) {
    const what =
      needs.credentials.length > 0 ? `credentials (${needs.credentials.join(", ")})` : "home folder";
    return `It uses each person's ${what}, so its tools are listed once someone uses it.`;
  }
  const result = await refreshServerTools(server, admin);
  return result.ok
    ? `Listed ${plural(result.tools.length, "tool")}.`
    : `Listing its tools failed: ${result.error}`;
}

export const createServerAction = adminAction(
  async (
    admin,
    _previous: FormState<ServerSaveData>,
    formData: FormData,
  ): Promise<FormState<ServerSaveData>> => {
    const { server, warnings } = await createServer(admin, parseServerForm(formData, { withEnabled: true }));
    const listed = await listAfterSave(server, admin);
    revalidateServers();
    return { status: "success", message: `Added ${server.name}. ${listed}`, data: { warnings } };
  },
);

export const updateServerAction = adminAction(
  async (
    admin,
    _previous: FormState<ServerSaveData>,
    formData: FormData,
  ): Promise<FormState<ServerSaveData>> => {
    const originalName = String(formData.get("originalName") ?? "");
    const { server, warnings } = await updateServer(admin, originalName, parseServerForm(formData));
    const listed = await listAfterSave(server, admin);
    revalidateServers(originalName);
    if (server.name !== originalName) {
      redirect(
        `/admin/servers/${encodeURIComponent(server.name)}?renamed=${encodeURIComponent(originalName)}`,
      );
    }
    return { status: "success", message: `Saved ${server.name}. ${listed}`, data: { warnings } };
  },
);

/**
 * Test connection: probes the submitted configuration without saving it. On a saved server whose
 * configuration the form has not changed, the tools (or the error) are recorded too.
 */
export const testServerAction = adminAction(
  async (
    admin,
    _previous: FormState<ServerTestData>,
    formData: FormData,
  ): Promise<FormState<ServerTestData>> => {
    const validated = checkServerInput(parseServerForm(formData));
    const result = await probeConfig(validated.config, admin);
    const originalName = String(formData.get("originalName") ?? "");
    const saved = originalName ? await getServerByName(originalName) : undefined;
    let recorded: ServerTestData["recorded"] = "new";
    if (saved) {
      recorded = sameConfig(saved.config, validated.config) ? "saved" : "unsaved";
      if (recorded === "saved") {
        await recordProbe(saved.id, result);
        revalidateServers(saved.name);
      }
    }
    if (!result.ok) {
      return {
        status: "error",
        code: "upstream_failed",
        message: result.error,
        data: { tools: [], ms: result.ms, recorded },
      };
    }
    const shape = { name: validated.input.name, toolPrefix: validated.input.toolPrefix ?? null };
    return {
      status: "success",
      message: `Connected${result.serverName ? ` to ${result.serverName}` : ""}${result.protocolVersion ? ` (MCP ${result.protocolVersion})` : ""} in ${result.ms} ms: ${plural(result.tools.length, "tool")}.`,
      data: {
        tools: exposedTools(shape, result.tools),
        serverName: result.serverName,
        ms: result.ms,
        recorded,
      },
    };
  },
);

/** Lists a saved server's tools again and records them (or the error). */
export const refreshToolsAction = adminAction(async (admin, name: string) => {
  const server = await getServerByNameOrThrow(name);
  const result = await refreshServerTools(server, admin);
  revalidateServers(name);
  return result.ok
    ? { status: "success" as const, message: `Listed ${plural(result.tools.length, "tool")}.` }
    : { status: "error" as const, code: "upstream_failed", message: result.error };
});

export const setServerEnabledAction = adminAction(async (admin, name: string, enabled: boolean) => {
  const server = await setServerEnabled(admin, name, enabled);
  revalidateServers(name);
  return {
    status: "success" as const,
    message: server.enabled
      ? `${name} is enabled.`
      : `${name} is disabled: nobody can see or call its tools.`,
  };
});

export const deleteServerAction = adminAction(async (admin, name: string) => {
  await deleteServer(admin, name);
  revalidateServers();
  redirect("/admin/servers");
});
