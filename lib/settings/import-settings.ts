import { isDeepStrictEqual } from "node:util";
import { type Actor, recordAdminEvent } from "@/lib/audit/admin-events";
import { AppError, parseInput } from "@/lib/errors";
import {
  createGroup,
  type GroupDetail,
  getGroupByName,
  getGroupDetail,
  updateGroup,
} from "@/lib/groups/queries";
import { groupInputSchema } from "@/lib/groups/schemas";
import { checkServerInput, createServer, getServerByName, updateServer } from "@/lib/servers/queries";
import { toServerInput } from "@/lib/servers/serialize";
import type { ValidatedServer } from "@/lib/servers/validate";
import { mapImportedServer, safeServerName } from "./map-server";
import { type ImportOutcome, type RawGroup, settingsFileSchema } from "./settings-file";

function refusal(error: unknown): string[] {
  if (!(error instanceof AppError)) throw error;
  if (!error.fieldErrors) return [error.message];
  return Object.entries(error.fieldErrors).map(([field, messages]) => `${field}: ${messages.join(", ")}`);
}

/**
 * Imports an `mcp_settings.json`: servers first, then groups. Each entry is created, updated, left
 * unchanged or refused on its own, so one bad entry never stops the good ones; the report says why.
 */
export async function importSettings(actor: Actor, file: unknown): Promise<ImportOutcome[]> {
  if (actor.role !== "admin") throw new AppError("forbidden", "Only admins can import settings");
  const settings = parseInput(settingsFileSchema, file);
  const outcomes: ImportOutcome[] = [];
  const renamed = new Map<string, string>();

  for (const [originalName, raw] of Object.entries(settings.mcpServers)) {
    const { input, notes } = mapImportedServer(originalName, raw);
    const name = input.name as string;
    renamed.set(originalName, name);
    try {
      const existing = await getServerByName(name);
      if (!existing) {
        const { warnings } = await createServer(actor, input, TRAIL);
        outcomes.push({ kind: "server", name, status: "created", messages: [...notes, ...warnings] });
      } else if (
        isDeepStrictEqual(
          effective(checkServerInput(input)),
          effective(checkServerInput(toServerInput(existing))),
        )
      ) {
        outcomes.push({ kind: "server", name, status: "unchanged", messages: notes });
      } else {
        const { warnings } = await updateServer(actor, name, input, TRAIL);
        outcomes.push({ kind: "server", name, status: "updated", messages: [...notes, ...warnings] });
      }
    } catch (error) {
      outcomes.push({ kind: "server", name, status: "refused", messages: [...refusal(error), ...notes] });
    }
  }

  for (const group of settings.groups) {
    const input = mapImportedGroup(group, renamed);
    try {
      const existing = await getGroupByName(String(input.name));
      let status: ImportOutcome["status"] = "created";
      if (!existing) await createGroup(actor, input, TRAIL);
      else if (
        isDeepStrictEqual(
          parseInput(groupInputSchema, input),
          parseInput(groupInputSchema, toGroupInput(await getGroupDetail(existing.name))),
        )
      )
        status = "unchanged";
      else {
        await updateGroup(actor, existing.name, input, TRAIL);
        status = "updated";
      }
      outcomes.push({ kind: "group", name: String(input.name), status, messages: [] });
    } catch (error) {
      outcomes.push({ kind: "group", name: String(input.name), status: "refused", messages: refusal(error) });
    }
  }
  await recordImport(actor, outcomes);
  return outcomes;
}

/** An import writes one trail entry for the whole file, not one per entry. */
const TRAIL = { record: false };

/** Counts per kind and outcome, and the names of what changed (a file holds at most a few hundred). */
async function recordImport(actor: Actor, outcomes: ImportOutcome[]): Promise<void> {
  const counts: Record<string, Record<ImportOutcome["status"], number>> = {};
  const changed: Record<string, string[]> = {};
  for (const { kind, name, status } of outcomes) {
    counts[kind] ??= { created: 0, updated: 0, unchanged: 0, refused: 0 };
    counts[kind][status] += 1;
    if (status !== "unchanged") changed[status] = [...(changed[status] ?? []), `${kind}:${name}`];
  }
  await recordAdminEvent(actor, {
    action: "settings.import",
    targetType: "settings",
    targetName: "mcp_settings.json",
    details: { counts, ...changed },
  });
}

/**
 * A server as it would be stored: the parsed input with the isolation it resolves to, so an entry
 * that leaves isolation to the default equals the stored server that got that default.
 */
function effective(validated: ValidatedServer) {
  return { ...validated.input, isolation: validated.isolation };
}

/** A stored group in the import's shape, to tell an unchanged entry from a changed one. */
function toGroupInput(group: GroupDetail): Record<string, unknown> {
  return {
    name: group.name,
    ...(group.description && { description: group.description }),
    visibility: group.visibility,
    servers: group.servers.map((s) => (s.tools ? { name: s.name, tools: s.tools } : s.name)),
  };
}

function mapImportedGroup(group: RawGroup, renamed: Map<string, string>): Record<string, unknown> {
  return {
    name: group.name,
    ...(group.description && { description: group.description }),
    visibility: group.visibility ?? "public",
    servers: (group.servers ?? []).map((entry) => {
      const original = typeof entry === "string" ? entry : entry.name;
      const name = renamed.get(original) ?? safeServerName(original);
      if (typeof entry === "string" || entry.tools === undefined || entry.tools === "all") return name;
      return { name, tools: entry.tools };
    }),
  };
}
