import type { Metadata } from "next";
import { env } from "@/lib/env";
import { apiResource } from "@/server/oauth/resource";
import { CredentialsPanel } from "../../_components/credentials-panel";
import { OAuthClientCard } from "../_components/oauth-client-card";
import { QuickStart } from "../_components/quick-start";
import { agentPage } from "../_lib/agent-context";

type Params = Promise<{ tenant: string; id: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `Credentials · ${(await agentPage(params)).agent.name} · Agents` };
}

export default async function AgentCredentialsPage({ params }: { params: Params }) {
  const { agent } = await agentPage(params);
  const { publicUrl } = env();
  return (
    <div className="space-y-4">
      <QuickStart
        clientId={agent.id}
        tokenEndpoint={`${publicUrl}/oauth/token`}
        decisionsUrl={`${apiResource(publicUrl)}/decisions`}
        scopes={agent.effectiveScopes.map((s) => s.name)}
      />
      <CredentialsPanel
        agentId={agent.id}
        canWrite={agent.can.credentials && agent.status !== "retired"}
        credentials={agent.credentials}
      />
      <OAuthClientCard
        clientId={agent.id}
        tokenEndpoint={`${publicUrl}/oauth/token`}
        redirectUris={agent.redirectUris}
        tokenTtlSeconds={agent.tokenTtlSeconds}
      />
    </div>
  );
}
