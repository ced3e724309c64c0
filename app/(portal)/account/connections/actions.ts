"use server";

import { revalidatePath } from "next/cache";
import { userAction } from "@/lib/auth/actions";
import { deleteCredential, setCredential } from "@/lib/credentials/queries";

export const setCredentialAction = userAction(
  async (user, name: string, _previous: unknown, formData: FormData) => {
    await setCredential(user.id, name, { value: String(formData.get("value") ?? "") });
    revalidatePath("/account/connections");
    return { status: "success", message: `${name} saved. Your next call uses it.` };
  },
);

export const removeCredentialAction = userAction(async (user, name: string) => {
  await deleteCredential(user.id, name);
  revalidatePath("/account/connections");
  return { status: "success", message: `${name} removed.` };
});
