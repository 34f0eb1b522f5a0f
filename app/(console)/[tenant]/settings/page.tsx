import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/permissions";
import { listTenantMembers } from "@/server/tenants/list-members";
import { getTenantSettings } from "@/server/tenants/update-settings";
import { orRefuse, tenantPage } from "../_lib/tenant-context";
import { AutoContainmentForm } from "./_components/auto-containment-form";
import { ReviewPeriodForm } from "./_components/review-period-form";
import { SettingsTabs } from "./_components/settings-tabs";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { caller, tenant } = await tenantPage(params, "settings.read");
  const members = await orRefuse(() => listTenantMembers(caller, tenant.id, { page_size: 10 }));
  const settings = await orRefuse(() => getTenantSettings(caller, tenant.id));
  return (
    <>
      <PageHeader title="Settings" description={`Agent reviews and anomaly containment in ${tenant.name}.`} />
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
      <Card>
        <h2 className="mb-1 text-sm font-semibold">People and roles</h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {members.total === 1 ? "One person belongs" : `${members.total} people belong`} to {tenant.name}.{" "}
          {can(caller.roles, "members.read", tenant.id) ? (
            <Link
              href={`/${tenant.slug}/people`}
              className="font-medium text-indigo-600 hover:underline dark:text-indigo-400"
            >
              Invite people and change their roles on the People page
            </Link>
          ) : null}
        </p>
      </Card>
    </>
  );
}
