import type { Metadata } from "next";
import Link from "next/link";
import { ActivityChart } from "@/components/charts/activity-chart";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { STATUS_LABELS } from "@/lib/agent-lifecycle";
import { env } from "@/lib/env";
import { NotFoundError } from "@/lib/errors";
import { formatUtc as when } from "@/lib/format";
import { can } from "@/lib/permissions";
import { isAgentOwner } from "@/server/agents/agent-access";
import { getAgentDetail } from "@/server/agents/get-agent";
import { activityFor } from "@/server/anomalies/activity";
import { listRoles } from "@/server/catalog/roles";
import { agentGrantSummary } from "@/server/grants/list-grants";
import { listAgentTokens } from "@/server/oauth/tokens";
import { orRefuse, tenantPage } from "../../_lib/tenant-context";
import { CredentialsPanel } from "../_components/credentials-panel";
import { LifecycleActions } from "../_components/lifecycle-actions";
import { RolesPanel } from "../_components/roles-panel";
import { ReviewBadge, StatusBadge } from "../_components/status-badge";
import { AgentAccessCard } from "./_components/agent-access-card";
import { OAuthClientCard } from "./_components/oauth-client-card";
import { TokensPanel } from "./_components/tokens-panel";

export const metadata: Metadata = { title: "Agent" };

const TOKENS_PAGE_SIZE = 25;

export default async function AgentPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenant: string; id: string }>;
  searchParams: Promise<{ tokens_page?: string | string[] }>;
}) {
  const { caller, tenant } = await tenantPage(params, "agents.read");
  const { id } = await params;
  const agent = await orRefuse(async () => {
    const a = await getAgentDetail(caller, id);
    // The URL's tenant must be the agent's: no agent is shown under another tenant's name.
    if (a.tenantId !== tenant.id) throw new NotFoundError("agent");
    return a;
  });
  const roles = agent.can.write ? await listRoles(caller, tenant.id) : [];
  const tokens = await listAgentTokens(caller, agent.id, {
    page: (await searchParams).tokens_page,
    page_size: TOKENS_PAGE_SIZE,
  });
  const [grantSummary, activity] = await Promise.all([
    agentGrantSummary(caller, agent.id),
    activityFor(caller, tenant.id, { range: "7d", agent: agent.id }),
  ]);
  const isOwner = isAgentOwner(caller, { ownerId: agent.owner.id, backupOwnerId: agent.backupOwner?.id ?? null });
  // As revokeToken decides: the tenant's owners and security admins, and the agent's own owners.
  const canRevokeTokens = can(caller.roles, "grants.revoke", tenant.id) || isOwner;
  return (
    <>
      <nav className="mb-2 text-sm text-slate-500">
        <Link href={`/${tenant.slug}/agents`} className="hover:underline">
          Agents
        </Link>{" "}
        / {agent.name}
      </nav>
      <div className="mb-6 flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="flex flex-wrap items-center gap-3 text-2xl font-semibold tracking-tight">
            {agent.name}
            <StatusBadge status={agent.status} />
            <ReviewBadge review={agent.review} />
            {agent.orphaned ? <Badge tone="red">Orphaned: owner deactivated</Badge> : null}
            {agent.consentWithdrawn ? <Badge tone="red">Tenant consent withdrawn</Badge> : null}
          </h1>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{agent.description || "No description."}</p>
        </div>
        <LifecycleActions
          agent={{ id: agent.id, name: agent.name, status: agent.status, review: agent.review }}
          editHref={`/${tenant.slug}/agents/${agent.id}/edit`}
          canWrite={agent.can.write}
          canRenew={agent.can.renew}
        />
      </div>

      <div className="grid gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <h2 className="mb-3 text-sm font-semibold">Overview</h2>
          <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
            <div>
              <dt className="text-slate-500">Accountable owner</dt>
              <dd className={agent.owner.deactivatedAt ? "text-red-600" : ""}>
                {agent.owner.name} <span className="text-slate-500">({agent.owner.email})</span>
                {agent.owner.deactivatedAt ? " — deactivated" : ""}
              </dd>
            </div>
            <div>
              <dt className="text-slate-500">Backup owner</dt>
              <dd>{agent.backupOwner ? `${agent.backupOwner.name} (${agent.backupOwner.email})` : "—"}</dd>
            </div>
            <div>
              <dt className="text-slate-500">Environment</dt>
              <dd className="capitalize">{agent.environment}</dd>
            </div>
            <div>
              <dt className="text-slate-500">Created</dt>
              <dd>
                {when(agent.createdAt)} by {agent.createdByLabel}
              </dd>
            </div>
            <div>
              <dt className="text-slate-500">Activated</dt>
              <dd>{when(agent.activatedAt)}</dd>
            </div>
            <div>
              <dt className="text-slate-500">Next review</dt>
              <dd data-testid="review-due">{when(agent.reviewDueAt)}</dd>
            </div>
            <div>
              <dt className="text-slate-500">Attributes</dt>
              <dd className="flex flex-wrap gap-1">
                {Object.keys(agent.attributes).length === 0
                  ? "—"
                  : Object.entries(agent.attributes).map(([k, v]) => (
                      <code key={k} className="rounded bg-slate-100 px-1.5 py-0.5 text-xs dark:bg-slate-800">
                        {k}={String(v)}
                      </code>
                    ))}
              </dd>
            </div>
          </dl>
        </Card>
        <Card>
          <h2 className="mb-3 text-sm font-semibold">Lifecycle history</h2>
          <ol className="space-y-3 text-sm" aria-label="Lifecycle history">
            {agent.history.map((h) => (
              <li key={h.id} className="border-l-2 border-slate-200 pl-3 dark:border-slate-700">
                <p className="font-medium">
                  {h.from ? `${STATUS_LABELS[h.from]} → ` : ""}
                  {STATUS_LABELS[h.to]}
                </p>
                <p className="text-slate-600 dark:text-slate-400">{h.reason}</p>
                <p className="text-xs text-slate-500">
                  {when(h.at)} · {h.actor}
                </p>
              </li>
            ))}
          </ol>
        </Card>
      </div>

      <div className="mt-4 space-y-4">
        <Card>
          <h2 className="mb-2 text-sm font-semibold">Activity, last 7 days</h2>
          <ActivityChart points={activity.points} anomalies={activity.anomalies} daily={false} />
        </Card>
        <AgentAccessCard
          tenantSlug={tenant.slug}
          agent={{
            id: agent.id,
            name: agent.name,
            status: agent.status,
            consentWithdrawn: agent.consentWithdrawn
              ? { ...agent.consentWithdrawn, at: agent.consentWithdrawn.at.toISOString() }
              : null,
          }}
          summary={grantSummary}
          canWithdraw={can(caller.roles, "grants.revoke", tenant.id)}
          // As killAgent decides: a security admin, or the agent's owner or backup owner.
          canKill={caller.roles.global === "security_admin" || isOwner}
        />
        <OAuthClientCard
          clientId={agent.id}
          tokenEndpoint={`${env().publicUrl}/oauth/token`}
          redirectUris={agent.redirectUris}
          tokenTtlSeconds={agent.tokenTtlSeconds}
        />
        <CredentialsPanel
          agentId={agent.id}
          canWrite={agent.can.write && agent.status !== "retired"}
          credentials={agent.credentials.map((c) => ({
            ...c,
            createdAt: c.createdAt.toISOString(),
            expiresAt: c.expiresAt?.toISOString() ?? null,
            lastUsedAt: c.lastUsedAt?.toISOString() ?? null,
            revokedAt: c.revokedAt?.toISOString() ?? null,
          }))}
        />
        <TokensPanel
          tokens={tokens.rows.map((t) => ({
            id: t.id,
            kind: t.kind,
            grantType: t.grantType,
            subject: t.subject ? { email: t.subject.email, name: t.subject.name } : null,
            scopes: t.scopes,
            audience: t.audience,
            createdAt: t.createdAt.toISOString(),
            expiresAt: t.expiresAt.toISOString(),
          }))}
          total={tokens.total}
          page={tokens.page}
          pageSize={tokens.pageSize}
          pageHref={`/${tenant.slug}/agents/${agent.id}`}
          now={new Date().toISOString()}
          ttlSeconds={agent.tokenTtlSeconds}
          canRevoke={canRevokeTokens}
        />
        <RolesPanel
          agentId={agent.id}
          roles={agent.roles}
          available={roles.map((r) => ({ id: r.id, name: r.name }))}
          scopes={agent.effectiveScopes}
          canWrite={agent.can.write && agent.status !== "retired"}
        />
      </div>
    </>
  );
}
