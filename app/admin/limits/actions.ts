"use server";

import { revalidatePath } from "next/cache";
import { adminAction, type FormState } from "@/lib/auth/actions";
import { formNumber, parseLimitForm } from "@/lib/limits/form";
import { createRateLimit, deleteRateLimit, describeTarget, updateRateLimit } from "@/lib/limits/queries";

export const createLimitAction = adminAction(async (admin, _previous: FormState, formData: FormData) => {
  const limit = await createRateLimit(admin, await parseLimitForm(formData));
  revalidatePath("/admin/limits");
  return {
    status: "success" as const,
    message: `Limited ${describeTarget(limit)} to ${limit.callsPerMinute} calls per minute, in force now.`,
  };
});

export const updateLimitAction = adminAction(async (admin, _previous: FormState, formData: FormData) => {
  const id = String(formData.get("id") ?? "");
  const limit = await updateRateLimit(admin, id, {
    callsPerMinute: formNumber(String(formData.get("callsPerMinute") ?? "").trim()) as number,
  });
  revalidatePath("/admin/limits");
  return {
    status: "success" as const,
    message: `${describeTarget(limit)}: ${limit.callsPerMinute} calls per minute.`,
  };
});

export const deleteLimitAction = adminAction(async (admin, id: string) => {
  await deleteRateLimit(admin, id);
  revalidatePath("/admin/limits");
  return { status: "success" as const, message: "Deleted: the limit no longer applies." };
});
