import type { ReactNode } from "react";
import { CommandPalette } from "@/components/command-palette/command-palette";
import { Logo } from "@/components/ui/logo";
import type { NavItem } from "@/lib/navigation";
import { SidebarNav } from "./sidebar-nav";
import { type TenantOption, TenantSwitcher } from "./tenant-switcher";
import { UserMenu } from "./user-menu";

export function ConsoleShell({
  tenant,
  tenants,
  nav,
  badges = {},
  user,
  children,
}: {
  tenant: TenantOption;
  tenants: TenantOption[];
  nav: NavItem[];
  /** Counts shown beside sections, by segment (pending approvals). */
  badges?: Record<string, number>;
  user: { name: string; email: string; role: string };
  children: ReactNode;
}) {
  return (
    <div className="flex min-h-screen">
      <aside className="sticky top-0 hidden h-screen w-60 shrink-0 flex-col gap-6 border-r border-slate-200 bg-white p-4 md:flex dark:border-slate-800 dark:bg-slate-900">
        <Logo className="px-2 text-lg" />
        <TenantSwitcher current={tenant} tenants={tenants} />
        <SidebarNav tenantSlug={tenant.slug} items={nav} badges={badges} />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex items-center justify-between gap-4 border-b border-slate-200 bg-white px-6 py-3 dark:border-slate-800 dark:bg-slate-900">
          <div className="md:hidden">
            <Logo />
          </div>
          <p className="hidden text-sm text-slate-500 md:block dark:text-slate-400">
            Tenant <span className="font-medium text-slate-900 dark:text-slate-100">{tenant.name}</span>
          </p>
          <CommandPalette tenantSlug={tenant.slug} sections={nav} scope={`${user.email}/${tenant.slug}`} />
          <UserMenu {...user} />
        </header>
        <div className="border-b border-slate-200 bg-white px-4 py-2 md:hidden dark:border-slate-800 dark:bg-slate-900">
          <TenantSwitcher current={tenant} tenants={tenants} />
          <div className="mt-2 overflow-x-auto">
            <SidebarNav tenantSlug={tenant.slug} items={nav} badges={badges} />
          </div>
        </div>
        <main className="mx-auto w-full max-w-6xl flex-1 px-6 py-8">{children}</main>
      </div>
    </div>
  );
}
