import { FileCode2, Plus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { canWritePolicies, listPolicies } from "@/server/policies/policies";
import { orRefuse, tenantPage } from "../../_lib/tenant-context";
import { PoliciesTable, type PolicyTableRow } from "../_components/policies-table";
import { pagePolicies, policyListSchema } from "../_lib/list-query";

export const metadata: Metadata = { title: "Policies" };

/** What the table shows of a policy: its text stays on its own page. */
function tableRow(p: PolicyTableRow): PolicyTableRow {
  const { id, tenantId, name, description, effect, requiresApproval, actions, version, enabled, updatedAt } = p;
  return { id, tenantId, name, description, effect, requiresApproval, actions, version, enabled, updatedAt };
}

export default async function PoliciesPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenant: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { caller, tenant } = await tenantPage(params, "policies.read");
  const all = await orRefuse(() => listPolicies(caller, { tenant: tenant.id }));
  const query = policyListSchema.parse(await searchParams);
  const page = pagePolicies(all, query);
  const canWrite = canWritePolicies(caller, tenant.id) || canWritePolicies(caller, null);
  const newPolicy = canWrite ? (
    <Link href={`/${tenant.slug}/policies/new`} className={buttonClass("primary")}>
      <Plus className="size-4" aria-hidden /> New policy
    </Link>
  ) : null;
  return (
    <>
      <PageHeader
        title="Policies"
        description={`Cedar policies that decide whether an agent may act, before it acts. Global ones apply in every tenant, the others only in ${tenant.name}.`}
        actions={newPolicy}
      />
      {all.length === 0 ? (
        <EmptyState icon={FileCode2} title="No policies yet" action={newPolicy}>
          Without a permitting policy every action is denied.{" "}
          {canWrite ? "Write the first one in Cedar and simulate it before you save." : "A security admin writes them."}
        </EmptyState>
      ) : (
        <PoliciesTable
          tenantSlug={tenant.slug}
          tenantName={tenant.name}
          page={{ ...page, rows: page.rows.map(tableRow) }}
          canWrite={canWrite}
        />
      )}
    </>
  );
}
