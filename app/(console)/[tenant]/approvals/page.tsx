import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/permissions";
import { APPROVAL_USABLE_MINUTES } from "@/server/policies/decide";
import { tenantContext } from "../_lib/tenant-context";
import { ApprovalTabs } from "./_components/approval-tabs";
import { DecidedTable } from "./_components/decided-table";
import { PendingRequests } from "./_components/pending-requests";
import { loadApprovals } from "./_lib/load-approvals";

export const metadata: Metadata = { title: "Approvals" };

export default async function ApprovalsPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenant: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // Who may open the page is checked by the layout (approvals.read, or owning agents here).
  const { caller, tenant } = await tenantContext((await params).tenant);
  const tab = (await searchParams).tab === "decided" ? "decided" : "pending";
  const { items, pendingCount } = await loadApprovals(caller, tenant.id, tab);
  const agentLinks = can(caller.roles, "agents.read", tenant.id);
  // One clock for the whole page, so server and browser render the same relative times.
  const now = new Date();
  return (
    <>
      <PageHeader
        title="Approvals"
        description={`Actions agents of ${tenant.name} may take only once a person says yes. An approval allows that exact request once, within ${APPROVAL_USABLE_MINUTES} minutes.`}
      />
      <ApprovalTabs tenantSlug={tenant.slug} current={tab} pendingCount={pendingCount} />
      {tab === "pending" ? (
        <PendingRequests
          items={items}
          tenantSlug={tenant.slug}
          agentLinks={agentLinks}
          now={now}
          usableMinutes={APPROVAL_USABLE_MINUTES}
        />
      ) : (
        <DecidedTable items={items} tenantSlug={tenant.slug} agentLinks={agentLinks} now={now} />
      )}
    </>
  );
}
