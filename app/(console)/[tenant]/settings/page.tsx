import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { formatUtc } from "@/lib/format";
import { can, canGlobally, ROLE_LABELS } from "@/lib/permissions";
import { listTenantMembers } from "@/server/tenants/list-members";
import { getTenantSettings } from "@/server/tenants/update-settings";
import { orRefuse, tenantPage } from "../_lib/tenant-context";
import { AutoContainmentForm } from "./_components/auto-containment-form";
import { DeactivateButton } from "./_components/deactivate-button";
import { ReviewPeriodForm } from "./_components/review-period-form";
import { SettingsTabs } from "./_components/settings-tabs";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { caller, tenant } = await tenantPage(params, "settings.read");
  const members = await orRefuse(() => listTenantMembers(caller, tenant.id, { pageSize: 100 }));
  const canManageUsers = canGlobally(caller.roles, "users.manage");
  const settings = await orRefuse(() => getTenantSettings(caller, tenant.id));
  return (
    <>
      <PageHeader title="Settings" description={`Agent reviews, people and roles in ${tenant.name}.`} />
      <SettingsTabs tenantSlug={tenant.slug} tenantId={tenant.id} roles={caller.roles} current="" />
      <Card className="mb-6">
        <h2 className="mb-3 text-sm font-semibold">Agent reviews</h2>
        <ReviewPeriodForm
          tenantId={tenant.id}
          days={settings.reviewPeriodDays}
          canWrite={can(caller.roles, "settings.write", tenant.id)}
        />
      </Card>
      <Card className="mb-6">
        <h2 className="mb-3 text-sm font-semibold">Anomalies</h2>
        <AutoContainmentForm
          tenantId={tenant.id}
          enabled={settings.autoSuspendOnHighAnomaly}
          canWrite={can(caller.roles, "settings.write", tenant.id)}
        />
      </Card>
      <section className="overflow-hidden rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <h2 className="border-b border-slate-200 px-5 py-3 text-sm font-semibold dark:border-slate-800">
          Members <span className="font-normal text-slate-500">({members.total})</span>
        </h2>
        {members.total === 0 ? (
          <p className="px-5 py-10 text-center text-sm text-slate-500">No one has been added to this tenant yet.</p>
        ) : (
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-xs text-slate-500 uppercase dark:bg-slate-800/50">
              <tr>
                <th scope="col" className="px-5 py-2 font-medium">
                  Name
                </th>
                <th scope="col" className="px-5 py-2 font-medium">
                  Email
                </th>
                <th scope="col" className="px-5 py-2 font-medium">
                  Role
                </th>
                <th scope="col" className="px-5 py-2 font-medium">
                  Last sign-in
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {members.rows.map((m) => (
                <tr key={m.userId}>
                  <td className="px-5 py-2.5 font-medium">
                    {m.name} {m.active ? null : <Badge tone="red">Deactivated</Badge>}
                  </td>
                  <td className="px-5 py-2.5 text-slate-600 dark:text-slate-400">{m.email}</td>
                  <td className="px-5 py-2.5">
                    <Badge tone={m.role === "tenant_owner" ? "indigo" : "gray"}>{ROLE_LABELS[m.role]}</Badge>
                  </td>
                  <td className="px-5 py-2.5 text-slate-600 dark:text-slate-400">
                    {m.lastSignInAt ? formatUtc(m.lastSignInAt) : "Never"}
                  </td>
                  {canManageUsers ? (
                    <td className="px-5 py-2.5 text-right">
                      {m.active && m.userId !== caller.id ? <DeactivateButton userId={m.userId} name={m.name} /> : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
