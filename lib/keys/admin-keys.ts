import type { z } from "zod";
import { type Actor, recordAdminEvent } from "@/lib/audit/admin-events";
import { AppError } from "@/lib/errors";
import { getUserById } from "@/lib/users/queries";
import { createKey, type createKeySchema, type KeySummary, revokeKey } from "./queries";

function assertAdmin(actor: Actor) {
  if (actor.role !== "admin") throw new AppError("forbidden", "Only admins can manage other people's keys");
}

/** Admin: creates a key for a person; the trail names the key and its owner, never the key. */
export async function createKeyForUser(
  actor: Actor,
  userId: string,
  input: z.input<typeof createKeySchema>,
): Promise<KeySummary & { key: string }> {
  assertAdmin(actor);
  const owner = await getUserById(userId);
  if (!owner) throw new AppError("not_found", `No user with id ${userId}`);
  const created = await createKey(owner.id, input);
  await recordAdminEvent(actor, {
    action: "key.create",
    targetType: "key",
    targetId: created.id,
    targetName: created.name,
    details: {
      userId: owner.id,
      email: owner.email,
      partialKey: created.partialKey,
      expiresAt: created.expiresAt?.toISOString() ?? null,
    },
  });
  return created;
}

/** Admin: revokes one of a person's keys by their id and the key's (DELETE /api/v1/users/{id}/keys/{keyId}). */
export async function revokeUserKey(actor: Actor, userId: string, keyId: string): Promise<void> {
  assertAdmin(actor);
  await revokeKey(userId, keyId);
  const owner = await getUserById(userId);
  await recordAdminEvent(actor, {
    action: "key.revoke",
    targetType: "key",
    targetId: keyId,
    details: { userId, email: owner?.email ?? null },
  });
}
