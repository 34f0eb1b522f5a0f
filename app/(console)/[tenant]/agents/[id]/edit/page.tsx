import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { NotFoundError } from "@/lib/errors";
import { getAgentDetail } from "@/server/agents/get-agent";
import { listAccountablePeople } from "@/server/agents/list-agents";
import { orRefuse, tenantPage } from "../../../_lib/tenant-context";
import { AgentForm } from "../../_components/agent-form";

export const metadata: Metadata = { title: "Edit agent" };

export default async function EditAgentPage({ params }: { params: Promise<{ tenant: string; id: string }> }) {
  const { caller, tenant } = await tenantPage(params, "agents.write");
  const { id } = await params;
  const agent = await orRefuse(async () => {
    const a = await getAgentDetail(caller, id);
    if (a.tenantId !== tenant.id) throw new NotFoundError("agent");
    return a;
  });
  const people = await listAccountablePeople(caller, tenant.id);
  return (
    <>
      <PageHeader title={`Edit ${agent.name}`} />
      <AgentForm
        tenantSlug={tenant.slug}
        people={people}
        agentId={agent.id}
        initial={{
          name: agent.name,
          description: agent.description,
          owner: agent.owner.id,
          backup_owner: agent.backupOwner?.id ?? "",
          environment: agent.environment,
          attributes: JSON.stringify(agent.attributes, null, 2),
          redirect_uris: agent.redirectUris.join("\n"),
          token_ttl_seconds: String(agent.tokenTtlSeconds),
        }}
      />
    </>
  );
}
