import clsx from "clsx";
import Link from "next/link";
import { SETTINGS_TABS } from "@/lib/navigation";
import { can, type RoleGrants } from "@/lib/permissions";

/** Settings' pages as tabs, each shown only to roles it opens for. */
export function SettingsTabs({
  tenantSlug,
  tenantId,
  roles,
  current,
}: {
  tenantSlug: string;
  tenantId: string;
  roles: RoleGrants;
  current: string;
}) {
  const tabs = SETTINGS_TABS.filter((t) => can(roles, t.permission, tenantId));
  if (tabs.length < 2) return null;
  return (
    <nav aria-label="Settings" className="mb-6 flex gap-1 border-b border-slate-200 dark:border-slate-800">
      {tabs.map((t) => (
        <Link
          key={t.segment}
          href={t.segment ? `/${tenantSlug}/settings/${t.segment}` : `/${tenantSlug}/settings`}
          aria-current={t.segment === current ? "page" : undefined}
          className={clsx(
            "-mb-px border-b-2 px-3 py-2 text-sm font-medium",
            t.segment === current
              ? "border-indigo-600 text-indigo-700 dark:text-indigo-300"
              : "border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100",
          )}
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
