"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { adminAction, type FormState } from "@/lib/auth/actions";
import { parseGroupForm } from "@/lib/groups/form";
import { addGroupMemberByEmail } from "@/lib/groups/memberships";
import { createGroup, deleteGroup, removeGroupMember, updateGroup } from "@/lib/groups/queries";

function revalidateGroups() {
  revalidatePath("/admin/groups", "layout");
  revalidatePath("/admin/servers", "layout");
  revalidatePath("/admin/users");
  revalidatePath("/groups");
}

export const createGroupAction = adminAction(async (admin, _previous: FormState, formData: FormData) => {
  const group = await createGroup(admin, parseGroupForm(formData));
  revalidateGroups();
  const servers = group.servers.length;
  return {
    status: "success" as const,
    message: `Created ${group.name} with ${servers} server${servers === 1 ? "" : "s"}. ${
      group.visibility === "public"
        ? "Anyone can join it on their Groups page."
        : "Add its members on its page."
    }`,
  };
});

export const updateGroupAction = adminAction(async (admin, _previous: FormState, formData: FormData) => {
  const originalName = String(formData.get("originalName") ?? "");
  const group = await updateGroup(admin, originalName, parseGroupForm(formData));
  revalidateGroups();
  if (group.name !== originalName) redirect(`/admin/groups/${encodeURIComponent(group.name)}`);
  return { status: "success" as const, message: `Saved ${group.name}.` };
});

export const deleteGroupAction = adminAction(async (admin, name: string) => {
  await deleteGroup(admin, name);
  revalidateGroups();
  redirect("/admin/groups");
});

export const addMemberAction = adminAction(async (admin, _previous: FormState, formData: FormData) => {
  const groupName = String(formData.get("groupName") ?? "");
  const { email } = await addGroupMemberByEmail(admin, groupName, formData.get("email"));
  revalidateGroups();
  return { status: "success" as const, message: `${email} is a member of ${groupName}.` };
});

export const removeMemberAction = adminAction(async (admin, groupName: string, userId: string) => {
  await removeGroupMember(admin, groupName, userId);
  revalidateGroups();
  return { status: "success" as const, message: "Removed." };
});
