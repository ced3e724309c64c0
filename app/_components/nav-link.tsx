"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** A navigation link that marks itself current on its page and the pages below it. */
export function NavLink({ href, children }: { href: string; children: React.ReactNode }) {
  const pathname = usePathname();
  // "/" and "/admin" are sections of their own, not parents of every page below them.
  const exact = href === "/" || href === "/admin";
  const current = exact ? pathname === href : pathname === href || pathname.startsWith(`${href}/`);
  return (
    <Link
      href={href}
      aria-current={current ? "page" : undefined}
      className={
        current
          ? "font-medium text-brand-700 underline decoration-2 underline-offset-8"
          : "text-slate-700 hover:text-brand-700"
      }
    >
      {children}
    </Link>
  );
}
