"use server";

import { revalidatePath } from "next/cache";
import { adminAction } from "@/lib/auth/actions";
import { revokeKeyAsAdmin } from "@/lib/keys/queries";
import { createUser, deleteUser, updateUser } from "@/lib/users/queries";
import { roleSchema } from "@/lib/users/schemas";

const done = (message: string) => {
  revalidatePath("/admin/users");
  return { status: "success" as const, message };
};

export const createUserAction = adminAction(async (admin, _previous: unknown, formData: FormData) => {
  const user = await createUser(
    {
      email: String(formData.get("email") ?? ""),
      name: String(formData.get("name") ?? ""),
      role: roleSchema.catch("user").parse(formData.get("role")),
      password: String(formData.get("password") ?? "") || undefined,
    },
    { actor: admin },
  );
  return done(`Created ${user.email}. They can sign in now.`);
});

export const changeRoleAction = adminAction(async (admin, userId: string, role: "admin" | "user") => {
  const user = await updateUser(userId, { role }, admin);
  return done(`${user.email} is now ${user.role === "admin" ? "an admin" : "a user"}.`);
});

export const setDisabledAction = adminAction(async (admin, userId: string, disabled: boolean) => {
  const user = await updateUser(userId, { disabled }, admin);
  return done(
    disabled
      ? `${user.email} is disabled: their sessions and keys stopped working.`
      : `${user.email} is enabled again.`,
  );
});

export const deleteUserAction = adminAction(async (admin, userId: string) => {
  await deleteUser(userId, admin);
  return done("User deleted, with their keys.");
});

export const revokeUserKeyAction = adminAction(async (admin, keyId: string) => {
  const key = await revokeKeyAsAdmin(admin, keyId);
  return done(`Revoked the key ${key.name}: clients using it are refused from now on.`);
});
