import type { Metadata } from "next";
import type { ReactNode } from "react";
import { ConsoleShell } from "@/components/shell/console-shell";
import { NAV_ITEMS } from "@/lib/navigation";
import { can, primaryRole, ROLE_LABELS } from "@/lib/permissions";
import { ownsAgentsIn } from "@/server/agents/list-agents";
import { countPendingApprovals } from "@/server/policies/approvals";
import { listVisibleTenants } from "@/server/tenants/list-tenants";
import { tenantContext } from "./_lib/tenant-context";

// An unknown tenant (or one the caller may not see) is a 404 for the title too, before any page
// of it names itself.
export async function generateMetadata({ params }: { params: Promise<{ tenant: string }> }): Promise<Metadata> {
  await tenantContext((await params).tenant);
  return {};
}

export default async function TenantLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ tenant: string }>;
}) {
  const { caller, tenant } = await tenantContext((await params).tenant);
  const tenants = await listVisibleTenants(caller);
  // Agents' owners answer their agents' approval requests, whatever their role.
  const owner = !can(caller.roles, "approvals.read", tenant.id) && (await ownsAgentsIn(caller, tenant.id));
  const nav = NAV_ITEMS.filter(
    (item) => can(caller.roles, item.permission, tenant.id) || (owner && item.segment === "approvals"),
  );
  const role = primaryRole(caller.roles, tenant.id);
  // Pending approval requests the caller can see here, counted on every page, beside Approvals.
  const pending = nav.some((item) => item.segment === "approvals") ? await countPendingApprovals(caller, tenant.id) : 0;
  return (
    <ConsoleShell
      tenant={{ slug: tenant.slug, name: tenant.name }}
      tenants={tenants.map(({ slug, name }) => ({ slug, name }))}
      nav={nav}
      badges={{ approvals: pending }}
      user={{ name: caller.name, email: caller.email, role: role ? ROLE_LABELS[role] : "" }}
    >
      {children}
    </ConsoleShell>
  );
}
