import Link from "next/link";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { CopyButton } from "@/components/ui/copy-button";
import { LifecycleActions } from "../_components/lifecycle-actions";
import { ReviewBadge, StatusBadge } from "../_components/status-badge";
import { AgentTabs } from "./_components/agent-tabs";
import { agentPage } from "./_lib/agent-context";

// An agent's page: who it is and what it may do now, then its tabs (overview, access,
// credentials, tokens, grants, activity, audit), each at its own URL.
export default async function AgentLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ tenant: string; id: string }>;
}) {
  const { tenant, agent } = await agentPage(params);
  const base = `/${tenant.slug}/agents/${agent.id}`;
  const hidden = [...(agent.can.grants ? [] : ["grants"]), ...(agent.can.audit ? [] : ["audit"])];
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-muted">
        {agent.can.write || agent.can.audit ? (
          <Link href={`/${tenant.slug}/agents`} className="hover:underline">
            Agents
          </Link>
        ) : (
          "Agents"
        )}{" "}
        / {agent.name}
      </nav>
      <div className="mb-4 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="flex flex-wrap items-center gap-3 text-2xl font-semibold tracking-tight">
            {agent.name}
            <StatusBadge status={agent.status} />
            <ReviewBadge review={agent.review} />
            {agent.orphaned ? <Badge tone="red">Orphaned: owner deactivated</Badge> : null}
            {agent.consentWithdrawn ? <Badge tone="red">Tenant consent withdrawn</Badge> : null}
          </h1>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{agent.description || "No description."}</p>
          <p className="mt-2 flex flex-wrap items-center gap-2 text-xs text-muted">
            Agent id (its OAuth client id)
            <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-slate-700 dark:bg-slate-800 dark:text-slate-300">
              {agent.id}
            </code>
            <CopyButton value={agent.id} label="Copy id" size="sm" />
          </p>
        </div>
        <LifecycleActions
          agent={{ id: agent.id, name: agent.name, status: agent.status, review: agent.review }}
          editHref={`${base}/edit`}
          canWrite={agent.can.write}
          canSuspend={agent.can.suspend}
          canRenew={agent.can.renew}
        />
      </div>
      <AgentTabs base={base} hidden={hidden} />
      {children}
    </>
  );
}
