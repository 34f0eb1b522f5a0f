import clsx from "clsx";
import Link from "next/link";

/** Agents, their roles and the scope catalog are one area of the console. */
export function CatalogTabs({ tenantSlug, current }: { tenantSlug: string; current: "agents" | "roles" | "scopes" }) {
  const tabs = [
    { key: "agents", label: "Agents", href: `/${tenantSlug}/agents` },
    { key: "roles", label: "Roles", href: `/${tenantSlug}/roles` },
    { key: "scopes", label: "Scopes", href: `/${tenantSlug}/scopes` },
  ] as const;
  return (
    <nav aria-label="Agent registry" className="mb-6 flex gap-1 border-b border-slate-200 dark:border-slate-800">
      {tabs.map((t) => (
        <Link
          key={t.key}
          href={t.href}
          aria-current={t.key === current ? "page" : undefined}
          className={clsx(
            "-mb-px border-b-2 px-3 py-2 text-sm font-medium",
            t.key === current
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
