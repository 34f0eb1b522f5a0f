import { type ReactNode, Suspense } from "react";
import { CommandPalette } from "@/components/command-palette/command-palette";
import { Logo } from "@/components/ui/logo";
import type { NavItem } from "@/lib/navigation";
import { MobileNav } from "./mobile-nav";
import { NavigationProgress } from "./navigation-progress";
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
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-white px-3 py-2 text-sm font-medium text-indigo-700 shadow focus:not-sr-only focus:fixed focus:top-2 focus:left-2 dark:bg-slate-900 dark:text-indigo-300"
      >
        Skip to content
      </a>
      <Suspense fallback={null}>
        <NavigationProgress />
      </Suspense>
      {/* The column carries the background the whole page down; the sidebar itself stays in view. */}
      <div className="hidden w-60 shrink-0 border-r border-slate-200 bg-white md:block dark:border-slate-800 dark:bg-slate-900">
        <aside className="sticky top-0 flex h-screen flex-col gap-6 overflow-y-auto p-4">
          <Logo className="px-2 text-lg" />
          <TenantSwitcher current={tenant} tenants={tenants} />
          <SidebarNav tenantSlug={tenant.slug} items={nav} badges={badges} />
        </aside>
      </div>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="relative flex items-center justify-between gap-3 border-b border-slate-200 bg-white px-4 py-3 md:px-6 dark:border-slate-800 dark:bg-slate-900">
          <div className="flex items-center gap-3 md:hidden">
            <MobileNav>
              <TenantSwitcher current={tenant} tenants={tenants} />
              <div className="mt-3">
                <SidebarNav tenantSlug={tenant.slug} items={nav} badges={badges} />
              </div>
            </MobileNav>
            <Logo />
          </div>
          <p className="hidden text-sm text-muted md:block">
            Tenant <span className="font-medium text-slate-900 dark:text-slate-100">{tenant.name}</span>
          </p>
          <CommandPalette tenantSlug={tenant.slug} sections={nav} scope={`${user.email}/${tenant.slug}`} />
          <UserMenu {...user} />
        </header>
        <main
          id="main"
          tabIndex={-1}
          className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 outline-none md:px-6 md:py-8"
        >
          {children}
        </main>
      </div>
    </div>
  );
}
