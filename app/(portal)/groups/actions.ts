"use server";

import { revalidatePath } from "next/cache";
import { userAction } from "@/lib/auth/actions";
import { leaveGroup, setMyGroupActive } from "@/lib/groups/memberships";

function revalidate() {
  revalidatePath("/groups");
  revalidatePath("/admin/users");
  revalidatePath("/admin/groups", "layout");
}

/** Joins (public groups) and switches a membership active or inactive. */
export const setGroupActiveAction = userAction(async (user, groupName: string, active: boolean) => {
  const group = await setMyGroupActive(user.id, groupName, active);
  revalidate();
  return {
    status: "success" as const,
    message: group.active
      ? `${group.name} is active: your endpoint serves its tools.`
      : `${group.name} is inactive: its tools are off until you activate it again.`,
  };
});

export const leaveGroupAction = userAction(async (user, groupName: string) => {
  await leaveGroup(user.id, groupName);
  revalidate();
  return { status: "success" as const, message: `You left ${groupName}.` };
});
