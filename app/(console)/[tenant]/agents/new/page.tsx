import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { listAccountablePeople } from "@/server/agents/list-agents";
import { tenantPage } from "../../_lib/tenant-context";
import { AgentForm } from "../_components/agent-form";

export const metadata: Metadata = { title: "Register agent · Agents" };

export default async function NewAgentPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { caller, tenant } = await tenantPage(params, "agents.write");
  const people = await listAccountablePeople(caller, tenant.id);
  return (
    <>
      <PageHeader
        title="Register an agent"
        description="The agent starts pending: activate it once its owner has reviewed what it will do."
      />
      <AgentForm tenantSlug={tenant.slug} people={people} />
    </>
  );
}
