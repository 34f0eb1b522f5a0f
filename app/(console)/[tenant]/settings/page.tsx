import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/permissions";
import { DELEGATION_DEPTH } from "@/lib/schemas/tenants";
import { listTenantMembers } from "@/server/tenants/list-members";
import { getTenantSettings } from "@/server/tenants/update-settings";
import { orRefuse, tenantPage } from "../_lib/tenant-context";
import { AutoContainmentForm } from "./_components/auto-containment-form";
import { DpopSettingForm } from "./_components/dpop-setting-form";
import { NumberSettingForm } from "./_components/number-setting-form";
import { SettingsTabs } from "./_components/settings-tabs";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { caller, tenant } = await tenantPage(params, "settings.read");
  const members = await orRefuse(() => listTenantMembers(caller, tenant.id, { page_size: 10 }));
  const settings = await orRefuse(() => getTenantSettings(caller, tenant.id));
  const canWrite = can(caller.roles, "settings.write", tenant.id);
  return (
    <>
      <PageHeader
        title="Settings"
        description={`Agent reviews, anomaly containment, delegation and token binding in ${tenant.name}.`}
      />
      <SettingsTabs tenantSlug={tenant.slug} tenantId={tenant.id} roles={caller.roles} current="" />
      <Card className="mb-6">
        <h2 className="mb-3 text-sm font-semibold">Agent reviews</h2>
        <NumberSettingForm
          tenantId={tenant.id}
          field="review_period_days"
          formLabel="Agent reviews"
          label="Days between agent reviews"
          value={settings.reviewPeriodDays}
          min={7}
          max={365}
          savedNote="New activations and renewals use it."
          canWrite={canWrite}
        />
      </Card>
      <Card className="mb-6">
        <h2 className="mb-3 text-sm font-semibold">Anomalies</h2>
        <AutoContainmentForm tenantId={tenant.id} enabled={settings.autoSuspendOnHighAnomaly} canWrite={canWrite} />
      </Card>
      <Card className="mb-6">
        <h2 className="mb-1 text-sm font-semibold">Delegation</h2>
        <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
          How many times a token may be exchanged down a chain of agents (RFC 8693 token exchange), each exchange
          narrowing it. Which agents may act on an agent&apos;s tokens is set on the agent.
        </p>
        <NumberSettingForm
          tenantId={tenant.id}
          field="max_delegation_depth"
          formLabel="Delegation"
          label={`Exchanges deep a chain may go (${DELEGATION_DEPTH.min} to ${DELEGATION_DEPTH.max})`}
          value={settings.maxDelegationDepth}
          min={DELEGATION_DEPTH.min}
          max={DELEGATION_DEPTH.max}
          savedNote="The next token exchange uses it; tokens already issued stay valid."
          canWrite={canWrite}
        />
      </Card>
      <Card className="mb-6">
        <h2 className="mb-1 text-sm font-semibold">Token binding</h2>
        <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
          DPoP (RFC 9449) binds an access token to a key the agent holds: each request carries a fresh proof signed with
          it, so a token that leaks is useless on its own.
        </p>
        <DpopSettingForm tenantId={tenant.id} required={settings.dpopRequired} canWrite={canWrite} />
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
