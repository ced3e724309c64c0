import { AppShell } from "@/app/_components/app-shell";
import { requireAdmin } from "@/lib/auth/session";

// Guards every /admin page on the server; each page and action checks again, because a layout
// does not re-run on every navigation.
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const admin = await requireAdmin();
  return <AppShell user={admin}>{children}</AppShell>;
}
