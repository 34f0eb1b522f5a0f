import { Bot, FileCode2, KeyRound, ScrollText, Users } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { can, ROLE_LABELS, ROLES } from "@/lib/permissions";
import { listMyAgents } from "@/server/agents/list-agents";
import { getTenantOverview } from "@/server/tenants/tenant-overview";
import { MyAgents } from "./_components/my-agents";
import { tenantPage } from "./_lib/tenant-context";

export const metadata: Metadata = { title: "Overview" };

const NEXT_STEPS = [
  {
    segment: "agents",
    permission: "agents.read",
    icon: Bot,
    title: "Agents",
    text: "Machine identities, their owners and lifecycle.",
  },
  {
    segment: "grants",
    permission: "grants.read_own",
    icon: KeyRound,
    title: "Grants",
    text: "Who let which agent act for them, and revoke it.",
  },
  {
    segment: "policies",
    permission: "policies.read",
    icon: FileCode2,
    title: "Policies",
    text: "Cedar rules deciding what agents may do.",
  },
  {
    segment: "audit",
    permission: "audit.read",
    icon: ScrollText,
    title: "Audit",
    text: "Every decision and change, tamper-evident.",
  },
] as const;

export default async function OverviewPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { caller, tenant } = await tenantPage(params, "tenant.read");
  const [overview, mine] = await Promise.all([getTenantOverview(caller, tenant.id), listMyAgents(caller, tenant.id)]);
  const steps = NEXT_STEPS.filter((s) => can(caller.roles, s.permission, tenant.id));
  return (
    <>
      <PageHeader
        title={tenant.name}
        description={
          <>
            You are signed in as <span className="font-medium">{caller.name}</span>
            {overview.yourRole ? (
              <>
                {" "}
                with the role <Badge tone="indigo">{ROLE_LABELS[overview.yourRole]}</Badge>
              </>
            ) : null}
            .
          </>
        }
      />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Card>
          <div className="flex items-center gap-2 text-sm text-slate-500 dark:text-slate-400">
            <Users className="size-4" aria-hidden /> People in this tenant
          </div>
          <p className="mt-2 text-3xl font-semibold" data-testid="member-count">
            {overview.memberCount}
          </p>
        </Card>
        {ROLES.filter((r) => r !== "security_admin").map((role) => (
          <Card key={role}>
            <p className="text-sm text-slate-500 dark:text-slate-400">{ROLE_LABELS[role]}s</p>
            <p className="mt-2 text-3xl font-semibold">{overview.membersByRole[role] ?? 0}</p>
          </Card>
        ))}
      </div>
      {mine.length ? (
        <div className="mt-6">
          <MyAgents
            tenantSlug={tenant.slug}
            linkToAgents={can(caller.roles, "agents.read", tenant.id)}
            agents={mine.map((a) => ({ ...a, reviewDueAt: a.reviewDueAt?.toISOString() ?? null }))}
          />
        </div>
      ) : null}
      <h2 className="mt-10 mb-3 text-sm font-semibold tracking-wide text-slate-500 uppercase">Where to go from here</h2>
      <div className="grid gap-4 sm:grid-cols-2">
        {steps.map(({ segment, icon: Icon, title, text }) => (
          <Link
            key={segment}
            href={`/${tenant.slug}/${segment}`}
            className="group rounded-xl border border-slate-200 bg-white p-5 hover:border-indigo-300 hover:shadow-sm dark:border-slate-800 dark:bg-slate-900 dark:hover:border-indigo-700"
          >
            <Icon className="size-5 text-indigo-600 dark:text-indigo-400" aria-hidden />
            <p className="mt-3 font-medium group-hover:text-indigo-700 dark:group-hover:text-indigo-300">{title}</p>
            <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{text}</p>
          </Link>
        ))}
      </div>
    </>
  );
}
