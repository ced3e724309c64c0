"use server";

import { revalidatePath } from "next/cache";
import { type FormState, userAction } from "@/lib/auth/actions";
import { createKey, revokeKey } from "@/lib/keys/queries";

export type NewKey = { key: string; name: string; partialKey: string };

export const createKeyAction = userAction(
  async (user, _previous: FormState<NewKey>, formData: FormData): Promise<FormState<NewKey>> => {
    const expires = String(formData.get("expiresAt") ?? "").trim();
    const created = await createKey(user.id, {
      name: String(formData.get("name") ?? ""),
      ...(expires && { expiresAt: expires }),
    });
    revalidatePath("/account/keys");
    revalidatePath("/admin/users");
    return {
      status: "success",
      message: `Created the key ${created.name}.`,
      data: { key: created.key, name: created.name, partialKey: created.partialKey },
    };
  },
);

export const revokeKeyAction = userAction(async (user, keyId: string) => {
  await revokeKey(user.id, keyId);
  revalidatePath("/account/keys");
  revalidatePath("/admin/users");
  return { status: "success" as const, message: "Revoked: clients using it are refused from now on." };
});
