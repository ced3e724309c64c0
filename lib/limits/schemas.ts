import { z } from "zod";

export const MAX_CALLS_PER_MINUTE = 1_000_000;

const callsPerMinuteSchema = z
  .number({ error: "callsPerMinute must be a whole number of calls per minute, such as 60" })
  .int({ error: "callsPerMinute must be a whole number, such as 60" })
  .min(1, { error: "callsPerMinute must be at least 1 (delete the limit to lift it)" })
  .max(MAX_CALLS_PER_MINUTE, {
    error: `callsPerMinute must be at most ${MAX_CALLS_PER_MINUTE.toLocaleString("en")}`,
  });

/** POST /api/v1/rate-limits and the /admin/limits form. */
export const createRateLimitSchema = z
  .strictObject(
    {
      scope: z.enum(["person", "server"], {
        error: "scope must be person (each person's calls) or server (everyone's calls on one server)",
      }),
      userId: z
        .uuid({
          error: "userId must be a user id (a UUID, listed by GET /api/v1/users), or null for everyone",
        })
        .nullable()
        .optional(),
      server: z
        .string({ error: "server must be a server name" })
        .trim()
        .min(1, { error: "server must be a server name, listed by GET /api/v1/servers" })
        .max(200, { error: "server must be a server name, listed by GET /api/v1/servers" })
        .optional(),
      callsPerMinute: callsPerMinuteSchema,
    },
    { error: (issue) => (issue.code === "unrecognized_keys" ? unknownFields(issue.keys) : undefined) },
  )
  .superRefine((input, ctx) => {
    if (input.scope === "person" && input.server !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["server"],
        message: "server is only for scope server: a person limit counts the person's calls on every server",
      });
    if (input.scope === "server" && input.server === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["server"],
        message: "Name the server this limit is for (scope server)",
      });
    if (input.scope === "server" && input.userId)
      ctx.addIssue({
        code: "custom",
        path: ["userId"],
        message: "userId is only for scope person: a server limit counts everyone's calls together",
      });
  });
export type CreateRateLimitInput = z.input<typeof createRateLimitSchema>;

/** PATCH /api/v1/rate-limits/{id}: only the number changes; another target is another limit. */
export const updateRateLimitSchema = z.strictObject(
  { callsPerMinute: callsPerMinuteSchema },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `Only callsPerMinute can change (not ${issue.keys.join(", ")}): to limit another person or server, create a new limit`
        : undefined,
  },
);
export type UpdateRateLimitInput = z.input<typeof updateRateLimitSchema>;

function unknownFields(keys: string[]): string {
  return `Unknown field${keys.length === 1 ? "" : "s"} ${keys.join(", ")}: send scope, userId, server and callsPerMinute`;
}
