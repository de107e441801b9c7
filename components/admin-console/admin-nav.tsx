"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";

const SECTIONS = [
  { href: "/admin", key: "overview" },
  { href: "/admin/customers", key: "customers" },
  { href: "/admin/audit", key: "audit" },
  { href: "/admin/stock", key: "stock" },
  { href: "/admin/referrals", key: "referrals" },
  { href: "/admin/violations", key: "violations" },
] as const;

/** The admin area's own sections, on every admin page; the current one is marked for screen readers too. */
export function AdminNav() {
  const t = useTranslations("adminConsole.nav");
  // The violations link's label lives with the policy screens' texts (adminPolicy), not in this namespace.
  const policy = useTranslations("adminPolicy");
  const path = usePathname();
  const current = (href: string) =>
    href === "/admin" ? path === "/admin" : path === href || path.startsWith(`${href}/`);
  return (
    <nav aria-label={t("label")} className="mb-6 border-b border-slate-200 pb-3">
      <ul className="flex flex-wrap gap-x-4 gap-y-2 text-sm">
        {SECTIONS.map((s) => (
          <li key={s.href}>
            <Link
              href={s.href}
              aria-current={current(s.href) ? "page" : undefined}
              className={
                current(s.href)
                  ? "font-semibold text-slate-900 underline decoration-2 underline-offset-4"
                  : "text-brand-700 underline"
              }
            >
              {s.key === "violations" ? policy("navLink") : t(s.key)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
