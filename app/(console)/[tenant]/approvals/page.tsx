import { CheckSquare } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { tenantPage } from "../_lib/tenant-context";

export const metadata: Metadata = { title: "Approvals" };

export default async function ApprovalsPage({ params }: { params: Promise<{ tenant: string }> }) {
  await tenantPage(params, "approvals.read");
  return (
    <>
      <PageHeader title="Approvals" description="Actions waiting for a person to say yes or no." />
      <EmptyState icon={CheckSquare} title="Nothing is waiting for approval">
        When a policy says an action needs a human, the request lands here for the agent's owner or a security admin to
        approve or deny in one click.
      </EmptyState>
    </>
  );
}
