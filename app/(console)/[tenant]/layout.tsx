import type { ReactNode } from "react";
import { ConsoleShell } from "@/components/shell/console-shell";
import { NAV_ITEMS } from "@/lib/navigation";
import { can, primaryRole, ROLE_LABELS } from "@/lib/permissions";
import { listVisibleTenants } from "@/server/tenants/list-tenants";
import { tenantContext } from "./_lib/tenant-context";

export default async function TenantLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ tenant: string }>;
}) {
  const { caller, tenant } = await tenantContext((await params).tenant);
  const tenants = await listVisibleTenants(caller);
  const nav = NAV_ITEMS.filter((item) => can(caller.roles, item.permission, tenant.id));
  const role = primaryRole(caller.roles, tenant.id);
  return (
    <ConsoleShell
      tenant={{ slug: tenant.slug, name: tenant.name }}
      tenants={tenants.map(({ slug, name }) => ({ slug, name }))}
      nav={nav}
      user={{ name: caller.name, email: caller.email, role: role ? ROLE_LABELS[role] : "" }}
    >
      {children}
    </ConsoleShell>
  );
}
