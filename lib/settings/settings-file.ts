import { z } from "zod";

/**
 * MCPHub's `mcp_settings.json`, read leniently: unknown fields of other MCPHub versions are
 * ignored (and reported), while each entry is then validated strictly as one of our servers.
 */
const rawServerSchema = z.record(z.string(), z.unknown(), { error: "Each server entry must be an object" });

const rawGroupSchema = z
  .object({
    name: z.string({ error: "A group needs a name" }),
    description: z.string().optional(),
    visibility: z.enum(["public", "restricted"]).optional(),
    servers: z
      .array(
        z.union([
          z.string(),
          z
            .object({ name: z.string(), tools: z.union([z.literal("all"), z.array(z.string())]).optional() })
            .loose(),
        ]),
      )
      .optional(),
  })
  .loose();

export const settingsFileSchema = z
  .object({
    mcpServers: z
      .record(z.string(), rawServerSchema, { error: "mcpServers must map server names to objects" })
      .default({}),
    groups: z.array(rawGroupSchema, { error: "groups must be a list" }).default([]),
  })
  .loose();

export type SettingsFile = z.input<typeof settingsFileSchema>;
export type RawGroup = z.output<typeof rawGroupSchema>;

export type ImportOutcome = {
  kind: "server" | "group";
  name: string;
  status: "created" | "updated" | "unchanged" | "refused";
  /** For refusals: why. For others: renames, defaults chosen, ignored fields, warnings. */
  messages: string[];
};
