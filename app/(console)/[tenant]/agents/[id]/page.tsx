import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { STATUS_LABELS } from "@/lib/agent-lifecycle";
import { formatUtc as when } from "@/lib/format";
import { agentNumbers } from "@/server/agents/agent-numbers";
import { DangerZone } from "./_components/danger-zone";
import { agentPage } from "./_lib/agent-context";

type Params = Promise<{ tenant: string; id: string }>;

const MCP_STANDING = {
  pending: "Awaiting approval: it may only be granted the scopes the tenant opens to unapproved clients",
  approved: "Approved: it may be granted its roles' scopes",
  blocked: "Blocked in this tenant",
} as const;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { agent } = await agentPage(params);
  return { title: `${agent.name} · Agents` };
}

/** One of the agent's key numbers: the figure, then what it counts; a link to the list behind it when there is one. */
function Figure({ label, value, href }: { label: string; value: number; href?: string }) {
  const body = (
    <>
      <span className="block text-2xl font-semibold tabular-nums">{value.toLocaleString("en")}</span>
      <span className="block text-sm text-slate-600 dark:text-slate-400">{label}</span>
    </>
  );
  return (
    <li className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      {href ? (
        <Link href={href} className="block hover:underline">
          {body}
        </Link>
      ) : (
        body
      )}
    </li>
  );
}

export default async function AgentOverviewPage({ params }: { params: Params }) {
  const { caller, tenant, agent } = await agentPage(params);
  const numbers = await agentNumbers(caller, agent.id);
  const base = `/${tenant.slug}/agents/${agent.id}`;
  return (
    <>
      <ul className="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-4" aria-label="Key numbers">
        <Figure label="Live tokens" value={numbers.liveTokens} href={`${base}/tokens`} />
        <Figure label="Decisions, last 24 hours" value={numbers.decisions24h} href={`${base}/activity`} />
        <Figure
          label="Denials, last 24 hours"
          value={numbers.denials24h}
          href={agent.can.audit ? `${base}/audit?outcome=denied` : undefined}
        />
        <Figure label="Open anomalies" value={numbers.openAnomalies} href={`/${tenant.slug}`} />
      </ul>
      <div className="grid gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <h2 className="mb-3 text-sm font-semibold">Owner and lifecycle</h2>
          <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
            {agent.mcpClient ? (
              <div className="sm:col-span-2" data-testid="mcp-client">
                <dt className="text-muted">MCP client</dt>
                <dd>
                  Identified by{" "}
                  {agent.mcpClient.source === "metadata_document"
                    ? "its client metadata document"
                    : "dynamic registration"}{" "}
                  <code className="break-all text-xs">{agent.mcpClient.clientId}</code>
                  {agent.mcpClient.metadataAt ? `, as of ${when(agent.mcpClient.metadataAt)}` : ""}.{" "}
                  {MCP_STANDING[agent.mcpClient.approval]}
                  {agent.mcpClient.approvalBy ? ` (by ${agent.mcpClient.approvalBy})` : ""}.{" "}
                  <Link
                    href={`/${tenant.slug}/settings/mcp-clients`}
                    className="text-indigo-700 hover:underline dark:text-indigo-300"
                  >
                    MCP clients
                  </Link>
                </dd>
              </div>
            ) : null}
            <div>
              <dt className="text-muted">Accountable owner</dt>
              <dd className={agent.owner.deactivatedAt ? "text-red-600 dark:text-red-400" : ""}>
                {agent.owner.name} <span className="text-muted">({agent.owner.email})</span>
                {agent.owner.deactivatedAt ? " — deactivated" : ""}
              </dd>
            </div>
            <div>
              <dt className="text-muted">Backup owner</dt>
              <dd>{agent.backupOwner ? `${agent.backupOwner.name} (${agent.backupOwner.email})` : "—"}</dd>
            </div>
            <div>
              <dt className="text-muted">Environment</dt>
              <dd className="capitalize">{agent.environment}</dd>
            </div>
            <div>
              <dt className="text-muted">Created</dt>
              <dd>
                {when(agent.createdAt)} by {agent.createdByLabel}
              </dd>
            </div>
            <div>
              <dt className="text-muted">Activated</dt>
              <dd>{when(agent.activatedAt)}</dd>
            </div>
            <div>
              <dt className="text-muted">Next review</dt>
              <dd data-testid="review-due">{when(agent.reviewDueAt)}</dd>
            </div>
            <div className="sm:col-span-2">
              <dt className="text-muted">May act on its tokens (token exchange)</dt>
              <dd data-testid="delegation" className="mt-1 flex flex-wrap gap-1">
                {agent.mayDelegateTo === null
                  ? "Any agent in this tenant"
                  : agent.delegates.length === 0
                    ? "No agent"
                    : agent.delegates.map((d) => (
                        <Link
                          key={d.id}
                          href={`/${tenant.slug}/agents/${d.id}`}
                          className="rounded bg-slate-100 px-1.5 py-0.5 text-xs hover:underline dark:bg-slate-800"
                        >
                          {d.name}
                        </Link>
                      ))}
              </dd>
            </div>
            <div className="sm:col-span-2">
              <dt className="text-muted">Token binding (DPoP)</dt>
              <dd data-testid="dpop">
                {agent.dpopRequired
                  ? "Required: tokens are bound to the agent's key"
                  : agent.tenantDpopRequired
                    ? "Required by the tenant: tokens are bound to the agent's key"
                    : "Optional: tokens are bound when the agent sends a DPoP proof"}
              </dd>
            </div>
            <div className="sm:col-span-2">
              <dt className="text-muted">Attributes (read by policies)</dt>
              <dd className="mt-1 flex flex-wrap gap-1">
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
                <p className="text-xs text-muted">
                  {when(h.at)} · {h.actor}
                </p>
              </li>
            ))}
          </ol>
        </Card>
      </div>
      <DangerZone
        agent={{ id: agent.id, name: agent.name, status: agent.status }}
        canKill={agent.can.kill && agent.status !== "retired"}
        canRetire={agent.can.write && agent.status !== "retired"}
      />
    </>
  );
}
