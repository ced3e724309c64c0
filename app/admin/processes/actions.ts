"use server";

import { revalidatePath } from "next/cache";
import { adminAction } from "@/lib/auth/actions";
import { restartProcess, stopProcess } from "@/lib/processes/worker";

export const stopProcessAction = adminAction(async (_admin, id: string) => {
  await stopProcess(id);
  revalidatePath("/admin/processes");
  return { status: "success" as const, message: "Stopped. The person's next call starts a fresh process." };
});

export const restartProcessAction = adminAction(async (_admin, id: string) => {
  const process = await restartProcess(id);
  revalidatePath("/admin/processes");
  return { status: "success" as const, message: `Restarted as pid ${process.pid}.` };
});
