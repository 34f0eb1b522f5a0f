import { Bot } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { tenantPage } from "../_lib/tenant-context";

export const metadata: Metadata = { title: "Agents" };

export default async function AgentsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await tenantPage(params, "agents.read");
  return (
    <>
      <PageHeader title="Agents" description={`Machine identities registered in ${tenant.name}.`} />
      <EmptyState icon={Bot} title="No agents registered yet">
        Every AI agent here will be a machine identity with an accountable owner, a lifecycle and short-lived scoped
        tokens instead of a static API key. The agent registry is not available in this version yet.
      </EmptyState>
    </>
  );
}
