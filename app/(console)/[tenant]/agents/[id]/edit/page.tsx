import type { Metadata } from "next";
import { NotFoundError } from "@/lib/errors";
import { getAgentDetail } from "@/server/agents/get-agent";
import { listAccountablePeople, listDelegateChoices } from "@/server/agents/list-agents";
import { orRefuse, tenantPage } from "../../../_lib/tenant-context";
import { AgentForm } from "../../_components/agent-form";
import { agentPage } from "../_lib/agent-context";

export async function generateMetadata({
  params,
}: {
  params: Promise<{ tenant: string; id: string }>;
}): Promise<Metadata> {
  return { title: `Edit · ${(await agentPage(params)).agent.name} · Agents` };
}

export default async function EditAgentPage({ params }: { params: Promise<{ tenant: string; id: string }> }) {
  const { caller, tenant } = await tenantPage(params, "agents.write");
  const { id } = await params;
  const agent = await orRefuse(async () => {
    const a = await getAgentDetail(caller, id);
    if (a.tenantId !== tenant.id) throw new NotFoundError("agent");
    return a;
  });
  const people = await listAccountablePeople(caller, tenant.id);
  const delegateChoices = (await listDelegateChoices(caller, tenant.id)).filter((a) => a.id !== agent.id);
  return (
    <>
      <h2 className="mb-4 text-lg font-semibold">Edit details</h2>
      <AgentForm
        tenantSlug={tenant.slug}
        people={people}
        agentId={agent.id}
        delegateChoices={delegateChoices}
        tenantDpopRequired={agent.tenantDpopRequired}
        initial={{
          name: agent.name,
          description: agent.description,
          owner: agent.owner.id,
          backup_owner: agent.backupOwner?.id ?? "",
          environment: agent.environment,
          attributes: agent.attributes,
          redirect_uris: agent.redirectUris.join("\n"),
          token_ttl_seconds: String(agent.tokenTtlSeconds),
          may_delegate_to: agent.mayDelegateTo,
          dpop_required: agent.dpopRequired,
        }}
      />
    </>
  );
}
