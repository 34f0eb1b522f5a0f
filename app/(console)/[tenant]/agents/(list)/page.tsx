import { Plus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/permissions";
import { listAgentOwners, listAgents } from "@/server/agents/list-agents";
import { tenantPage } from "../../_lib/tenant-context";
import { AgentsTable } from "../_components/agents-table";
import { CatalogTabs } from "../_components/catalog-tabs";

export const metadata: Metadata = { title: "Agents" };

export default async function AgentsPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenant: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { caller, tenant } = await tenantPage(params, "agents.read");
  const [page, owners] = await Promise.all([
    listAgents(caller, tenant.id, await searchParams),
    listAgentOwners(caller, tenant.id),
  ]);
  const canWrite = can(caller.roles, "agents.write", tenant.id);
  return (
    <>
      <PageHeader
        title="Agents"
        description={`Machine identities registered in ${tenant.name}, each with an accountable owner.`}
        actions={
          canWrite ? (
            <Link href={`/${tenant.slug}/agents/new`} className={buttonClass("primary")}>
              <Plus className="size-4" aria-hidden /> Register agent
            </Link>
          ) : null
        }
      />
      <CatalogTabs tenantSlug={tenant.slug} current="agents" />
      <AgentsTable tenantSlug={tenant.slug} page={page} owners={owners} canWrite={canWrite} />
    </>
  );
}
