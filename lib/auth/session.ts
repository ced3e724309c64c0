import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import type { User } from "@/lib/db/schema";
import { getUserById } from "@/lib/users/queries";
import { auth } from "./index";

/**
 * The signed-in person, read from the database on every request (once per render): a disabled
 * account or a lowered role takes effect immediately, whatever the session cookie says.
 */
export const getSessionUser = cache(async (): Promise<User | null> => {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  const user = await getUserById(id);
  return user && !user.disabled ? user : null;
});

/** For pages: the signed-in person, or a redirect to /login. */
export async function requireUser(): Promise<User> {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  return user;
}

/** For admin pages: an admin, a redirect to /login for visitors, and 403 for everyone else. */
export async function requireAdmin(): Promise<User> {
  const user = await requireUser();
  if (user.role !== "admin") forbidden();
  return user;
}
