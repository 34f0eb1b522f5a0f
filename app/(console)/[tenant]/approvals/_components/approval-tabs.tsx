import clsx from "clsx";
import Link from "next/link";
import type { ApprovalTab } from "../_lib/load-approvals";

/** Pending (with how many wait) and Decided, as links so the tab is in the URL. */
export function ApprovalTabs({
  tenantSlug,
  current,
  pendingCount,
}: {
  tenantSlug: string;
  current: ApprovalTab;
  pendingCount: number;
}) {
  const tabs = [
    { key: "pending", label: "Pending", href: `/${tenantSlug}/approvals`, count: pendingCount },
    { key: "decided", label: "Decided", href: `/${tenantSlug}/approvals?tab=decided`, count: null },
  ] as const;
  return (
    <nav aria-label="Approval requests" className="mb-6 flex gap-1 border-b border-slate-200 dark:border-slate-800">
      {tabs.map((t) => (
        <Link
          key={t.key}
          href={t.href}
          aria-current={t.key === current ? "page" : undefined}
          className={clsx(
            "-mb-px inline-flex items-center gap-2 border-b-2 px-3 py-2 text-sm font-medium",
            t.key === current
              ? "border-indigo-600 text-indigo-700 dark:text-indigo-300"
              : "border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100",
          )}
        >
          {t.label}
          {t.count ? (
            <span className="rounded-full bg-amber-100 px-1.5 text-xs font-semibold text-amber-800 tabular-nums dark:bg-amber-900 dark:text-amber-200">
              {t.count}
              <span className="sr-only"> waiting</span>
            </span>
          ) : null}
        </Link>
      ))}
    </nav>
  );
}
