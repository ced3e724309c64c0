import Link from "next/link";
import { signOutAction } from "@/app/login/actions";
import type { User } from "@/lib/db/schema";
import { NavLink } from "./nav-link";

type NavItem = { href: string; label: string };

const portalNav: NavItem[] = [
  { href: "/", label: "Home" },
  { href: "/groups", label: "Groups" },
  { href: "/tools", label: "Tools" },
  { href: "/account/keys", label: "Keys" },
  { href: "/account/connections", label: "Linked accounts" },
];
const adminNav: NavItem[] = [
  { href: "/admin", label: "Dashboard" },
  { href: "/admin/audit", label: "Audit" },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/servers", label: "Servers" },
  { href: "/admin/groups", label: "Groups" },
  { href: "/admin/processes", label: "Processes" },
  { href: "/admin/limits", label: "Limits" },
  { href: "/admin/settings", label: "Settings" },
];

/** The frame around every signed-in page: brand, navigation, the person and sign-out. */
export function AppShell({ user, children }: { user: User; children: React.ReactNode }) {
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3 sm:gap-x-6">
          <Link href="/" className="text-lg font-semibold text-brand-700">
            MCPHub
          </Link>
          <nav aria-label="Main" className="flex flex-wrap gap-4 text-sm">
            {portalNav.map((item) => (
              <NavLink key={item.href} href={item.href}>
                {item.label}
              </NavLink>
            ))}
            {user.role === "admin" && (
              <span className="flex flex-wrap gap-4 sm:border-l sm:border-slate-200 sm:pl-4">
                <span className="self-center text-xs uppercase tracking-wide text-slate-400 max-sm:hidden">
                  Admin
                </span>
                {adminNav.map((item) => (
                  <NavLink key={item.href} href={item.href}>
                    {item.label}
                  </NavLink>
                ))}
              </span>
            )}
          </nav>
          <div className="ml-auto flex items-center gap-3 text-sm">
            <span className="hidden text-slate-600 sm:inline" data-testid="signed-in-as">
              {user.email}
            </span>
            <form action={signOutAction}>
              <button type="submit" className="btn-secondary px-3 py-1.5">
                Sign out
              </button>
            </form>
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-8">{children}</main>
    </div>
  );
}
