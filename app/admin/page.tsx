import { redirect } from "next/navigation";
import { requireAdmin } from "@/lib/auth/session";

export default async function AdminHome() {
  await requireAdmin();
  redirect("/admin/users");
}
