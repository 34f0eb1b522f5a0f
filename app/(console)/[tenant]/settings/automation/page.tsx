import { Workflow } from "lucide-react";
import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { formatDuration } from "@/lib/durations";
import { env } from "@/lib/env";
import { listAutomationClients } from "@/server/automation/automation-clients";
import { AUTOMATION_TOKEN_TTL } from "@/server/oauth/clients";
import { apiResource } from "@/server/oauth/resource";
import { listVisibleTenants } from "@/server/tenants/list-tenants";
import { orRefuse, tenantPage } from "../../_lib/tenant-context";
import { SettingsTabs } from "../_components/settings-tabs";
import { ClientsTable } from "./_components/clients-table";
import { NewClientForm } from "./_components/new-client-form";

export const metadata: Metadata = { title: "Automation clients · Settings" };

export default async function AutomationClientsPage({ params }: { params: Promise<{ tenant: string }> }) {
  // Installation-wide: a client may hold a role in any tenant, so only security admins see this.
  const { caller, tenant } = await tenantPage(params, "users.manage");
  const [clients, tenants] = await Promise.all([
    orRefuse(() => listAutomationClients(caller)),
    listVisibleTenants(caller),
  ]);
  const { publicUrl } = env();
  return (
    <>
      <PageHeader
        title="Automation clients"
        description="CI jobs and scripts that call the admin API with tokens of their own, each under one role. For every tenant of this installation."
      />
      <SettingsTabs tenantSlug={tenant.slug} tenantId={tenant.id} roles={caller.roles} current="automation" />
      <Card className="mb-6">
        <h2 className="mb-4 text-sm font-semibold">New automation client</h2>
        <NewClientForm
          tenants={tenants}
          tokenEndpoint={`${publicUrl}/oauth/token`}
          apiBase={apiResource(publicUrl)}
          tokenLifetime={formatDuration(AUTOMATION_TOKEN_TTL)}
        />
      </Card>
      {clients.length === 0 ? (
        <EmptyState icon={Workflow} title="No automation clients">
          Create one for each CI job or script that calls the admin API, so each can be told apart in the audit log and
          revoked on its own.
        </EmptyState>
      ) : (
        <ClientsTable clients={clients} />
      )}
    </>
  );
}
