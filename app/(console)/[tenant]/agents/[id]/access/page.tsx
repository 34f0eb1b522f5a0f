import type { Metadata } from "next";
import { listRoles } from "@/server/catalog/roles";
import { agentGrantSummary } from "@/server/grants/list-grants";
import { RolesPanel } from "../../_components/roles-panel";
import { ConsentCard } from "../_components/consent-card";
import { agentPage } from "../_lib/agent-context";

type Params = Promise<{ tenant: string; id: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `Access · ${(await agentPage(params)).agent.name} · Agents` };
}

/** What the agent may do: its roles (the picker first) and the scopes they give it, and who it acts for. */
export default async function AgentAccessPage({ params }: { params: Params }) {
  const { caller, tenant, agent } = await agentPage(params);
  const [roles, summary] = await Promise.all([
    agent.can.write ? listRoles(caller, tenant.id) : Promise.resolve([]),
    agentGrantSummary(caller, agent.id),
  ]);
  return (
    <div className="space-y-4">
      <RolesPanel
        agentId={agent.id}
        roles={agent.roles}
        available={roles.map((r) => ({ id: r.id, name: r.name }))}
        scopes={agent.effectiveScopes}
        canWrite={agent.can.write && agent.status !== "retired"}
      />
      <ConsentCard
        tenantSlug={tenant.slug}
        agent={{ id: agent.id, name: agent.name, consentWithdrawn: agent.consentWithdrawn }}
        summary={summary}
        canWithdraw={agent.can.consent}
        canSeeGrants={agent.can.grants}
      />
    </div>
  );
}
