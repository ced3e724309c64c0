"use server";

import { revalidatePath } from "next/cache";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { userAction } from "@/lib/auth/actions";
import { beginGithubConnect, disconnectGithub } from "@/lib/credentials/github-connect";
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

/** Sends the browser to GitHub to approve MCPHub; GitHub returns it to ./github/callback. */
export const connectGithubAction = userAction(async (user) => {
  const { authorizeUrl, cookie } = beginGithubConnect(user.id);
  (await cookies()).set(cookie.name, cookie.value, cookie.options);
  redirect(authorizeUrl);
});

export const disconnectGithubAction = userAction(async (user) => {
  const { revokedAtGithub } = await disconnectGithub(user.id);
  revalidatePath("/account/connections");
  return {
    status: "success",
    message: revokedAtGithub
      ? "GitHub disconnected: the token was removed here and revoked at GitHub."
      : "GitHub disconnected: the token was removed here. If GitHub still lists MCPHub under your authorized apps, revoke it there.",
  };
});
