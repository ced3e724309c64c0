import { z } from "zod";

export const groupNameSchema = z
  .string({ error: "Name the group" })
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/, {
    error:
      "Use 1-63 letters, digits, '_' or '-', starting with a letter or digit (it appears in the URL /api/mcp/<group>)",
  });

/** A server in a group: its name, or its name with the tools the group exposes (all when omitted). */
export const groupServerSchema = z.union([
  z.string().trim().min(1),
  z
    .object({
      name: z.string().trim().min(1),
      tools: z.array(z.string().min(1).max(256)).max(500).nullable().optional(),
    })
    .strict(),
]);

export const groupInputSchema = z
  .object({
    name: groupNameSchema,
    description: z.string().trim().max(500, { error: "Use at most 500 characters" }).optional(),
    visibility: z
      .enum(["public", "restricted"], { error: "visibility must be public or restricted" })
      .default("public"),
    servers: z
      .array(groupServerSchema, { error: "servers must be a list of server names" })
      .max(200)
      .default([]),
  })
  .strict();
export type GroupInput = z.input<typeof groupInputSchema>;

export const setActiveSchema = z
  .object({ active: z.boolean({ error: "active must be true or false" }) })
  .strict();
