"use client";

import clsx from "clsx";
import {
  Bot,
  Building2,
  CheckSquare,
  FileCode2,
  KeyRound,
  LayoutDashboard,
  ScrollText,
  Settings,
  Users,
} from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { NavItem } from "@/lib/navigation";

export const NAV_ICONS = {
  overview: LayoutDashboard,
  agents: Bot,
  grants: KeyRound,
  people: Users,
  policies: FileCode2,
  approvals: CheckSquare,
  audit: ScrollText,
  tenants: Building2,
  settings: Settings,
} as const;

export function SidebarNav({
  tenantSlug,
  items,
  badges = {},
}: {
  tenantSlug: string;
  items: NavItem[];
  badges?: Record<string, number>;
}) {
  const pathname = usePathname();
  const base = `/${tenantSlug}`;
  return (
    <nav aria-label="Sections" className="flex flex-col gap-1">
      {items.map((item) => {
        const href = item.segment ? `${base}/${item.segment}` : base;
        // Roles and scopes belong to the agent registry's section.
        const also = item.segment === "agents" ? [`${base}/roles`, `${base}/scopes`] : [];
        const active = item.segment
          ? [href, ...also].some((h) => pathname === h || pathname.startsWith(`${h}/`))
          : pathname === base;
        const Icon = NAV_ICONS[item.icon];
        return (
          <Link
            key={item.label}
            href={href}
            aria-current={active ? "page" : undefined}
            className={clsx(
              "flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium",
              active
                ? "bg-indigo-50 text-indigo-700 dark:bg-indigo-950 dark:text-indigo-200"
                : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800",
            )}
          >
            <Icon className="size-4" aria-hidden />
            {item.label}
            {badges[item.segment] ? (
              <span
                className="ml-auto rounded-full bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-900 dark:bg-amber-900 dark:text-amber-100"
                data-testid={`nav-badge-${item.segment}`}
              >
                {badges[item.segment]}
                <span className="sr-only"> pending</span>
              </span>
            ) : null}
          </Link>
        );
      })}
    </nav>
  );
}
