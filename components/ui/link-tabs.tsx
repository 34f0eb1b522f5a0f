import clsx from "clsx";
import Link from "next/link";
import type { ReactNode } from "react";

export interface LinkTab {
  key: string;
  label: string;
  href: string;
  /** Shown beside the label (a count), when there is one. */
  badge?: ReactNode;
}

/** Tabs as links, so the tab is in the URL (shareable, the back button works). */
export function LinkTabs({ label, tabs, current }: { label: string; tabs: readonly LinkTab[]; current: string }) {
  return (
    <nav aria-label={label} className="mb-6 flex gap-1 overflow-x-auto border-b border-slate-200 dark:border-slate-800">
      {tabs.map((t) => (
        <Link
          key={t.key}
          href={t.href}
          aria-current={t.key === current ? "page" : undefined}
          className={clsx(
            "-mb-px inline-flex shrink-0 items-center gap-2 whitespace-nowrap border-b-2 px-3 py-2 text-sm font-medium",
            t.key === current
              ? "border-indigo-600 text-indigo-700 dark:text-indigo-300"
              : "border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100",
          )}
        >
          {t.label}
          {t.badge}
        </Link>
      ))}
    </nav>
  );
}
