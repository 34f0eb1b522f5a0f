import "server-only";
import { forbidden } from "next/navigation";
import { cache } from "react";
import { NotFoundError } from "@/lib/errors";
import { getAgentDetail } from "@/server/agents/get-agent";
import { orRefuse, tenantContext } from "../../../_lib/tenant-context";

/**
 * The caller, the tenant and the agent the URL names, once per request for the layout and the
 * tab: whoever may read the agent (its owners included, whatever their role). An agent is never
 * shown under another tenant's name.
 */
export const agentContext = cache(async (slug: string, id: string) => {
  const { caller, tenant } = await tenantContext(slug);
  const agent = await orRefuse(async () => {
    const a = await getAgentDetail(caller, decodeURIComponent(id));
    if (a.tenantId !== tenant.id) throw new NotFoundError("agent");
    return a;
  });
  return { caller, tenant, agent };
});

export async function agentPage(params: Promise<{ tenant: string; id: string }>) {
  const { tenant, id } = await params;
  return agentContext(tenant, id);
}

/**
 * For a tab some readers of the agent may not open (its grants, its audit trail): a 403 for them,
 * from the tab's layout, before its loading skeleton streams.
 */
export async function agentTab(params: Promise<{ tenant: string; id: string }>, need: "grants" | "audit") {
  const ctx = await agentPage(params);
  if (!ctx.agent.can[need]) forbidden();
  return ctx;
}
