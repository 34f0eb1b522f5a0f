import type { Metadata } from "next";
import { can } from "@/lib/permissions";
import { listAgentTokens } from "@/server/oauth/tokens";
import { TokensPanel } from "../_components/tokens-panel";
import { agentPage } from "../_lib/agent-context";

type Params = Promise<{ tenant: string; id: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `Tokens · ${(await agentPage(params)).agent.name} · Agents` };
}

const PAGE_SIZE = 25;

export default async function AgentTokensPage({
  params,
  searchParams,
}: {
  params: Params;
  searchParams: Promise<{ tokens_page?: string | string[]; grant?: string | string[] }>;
}) {
  const { caller, tenant, agent } = await agentPage(params);
  const query = await searchParams;
  const grant = typeof query.grant === "string" && query.grant ? query.grant : null;
  const tokens = await listAgentTokens(caller, agent.id, {
    page: query.tokens_page,
    page_size: PAGE_SIZE,
    ...(grant ? { grant } : {}),
  });
  return (
    <TokensPanel
      page={tokens}
      pageHref={`/${tenant.slug}/agents/${agent.id}/tokens`}
      now={new Date()}
      ttlSeconds={agent.tokenTtlSeconds}
      canRevoke={agent.can.revokeTokens}
      canReadChains={can(caller.roles, "agents.read", tenant.id)}
      tenantSlug={tenant.slug}
      grantId={grant}
    />
  );
}
