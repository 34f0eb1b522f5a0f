import { Bot, FileCode2, KeyRound, ScrollText } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { ActivityChart } from "@/components/charts/activity-chart";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { can, ROLE_LABELS } from "@/lib/permissions";
import { listMyAgents } from "@/server/agents/list-agents";
import { activityFor, rankAgents } from "@/server/anomalies/activity";
import { listAnomalies } from "@/server/anomalies/anomalies";
import { getHeadline } from "@/server/tenants/headline";
import { getTenantOverview } from "@/server/tenants/tenant-overview";
import { AnomaliesPanel } from "./_components/anomalies-panel";
import { HeadlineCards } from "./_components/headline-cards";
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

export default async function OverviewPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenant: string }>;
  searchParams: Promise<{ range?: string }>;
}) {
  const { caller, tenant } = await tenantPage(params, "tenant.read");
  // One clock for the page: the cards' numbers and the links to what they count agree.
  const now = new Date();
  const [overview, mine, headline] = await Promise.all([
    getTenantOverview(caller, tenant.id),
    listMyAgents(caller, tenant.id),
    getHeadline(caller, tenant.id, now),
  ]);
  const watching = can(caller.roles, "agents.read", tenant.id);
  const requested = (await searchParams).range;
  const range = requested === "7d" || requested === "30d" ? requested : "24h";
  const [activity, ranking, open] = watching
    ? await Promise.all([
        activityFor(caller, tenant.id, { range }),
        rankAgents(caller, tenant.id),
        listAnomalies(caller, { tenant: tenant.id, status: "open" }).then(async (o) => [
          ...o,
          ...(await listAnomalies(caller, { tenant: tenant.id, status: "acknowledged" })),
        ]),
      ])
    : [null, [], []];
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
      <HeadlineCards tenantSlug={tenant.slug} headline={headline} now={now} />
      {mine.length ? (
        <div className="mb-8">
          <MyAgents tenantSlug={tenant.slug} agents={mine} />
        </div>
      ) : null}
      {activity ? (
        <section className="grid gap-4 lg:grid-cols-3" aria-label="Agent activity">
          <Card className="lg:col-span-2">
            <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
              <h2 className="text-sm font-semibold">Activity</h2>
              <nav aria-label="Time range" className="flex gap-1 text-sm">
                {(["24h", "7d", "30d"] as const).map((r) => (
                  <Link
                    key={r}
                    href={`/${tenant.slug}?range=${r}`}
                    aria-current={r === range ? "page" : undefined}
                    className={
                      r === range
                        ? "rounded-md bg-indigo-600 px-2.5 py-1 text-white"
                        : "rounded-md px-2.5 py-1 text-slate-600 ring-1 ring-slate-300 hover:bg-slate-50 dark:text-slate-300 dark:ring-slate-700 dark:hover:bg-slate-800"
                    }
                  >
                    {r}
                  </Link>
                ))}
              </nav>
            </div>
            <ActivityChart
              points={activity.points}
              anomalies={activity.anomalies}
              daily={activity.granularity === 1440}
            />
          </Card>
          <Card>
            <h2 className="mb-3 text-sm font-semibold">Agents by anomaly score</h2>
            {ranking.length ? (
              <ol className="space-y-2 text-sm" aria-label="Agents by anomaly score">
                {ranking.map((r) => (
                  <li key={r.agent.id} className="flex items-center justify-between gap-2">
                    <Link
                      href={`/${tenant.slug}/agents/${r.agent.id}`}
                      className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
                    >
                      {r.agent.name}
                    </Link>
                    <span className="flex items-center gap-2 text-xs text-muted">
                      {r.open} open
                      <Badge tone={r.worst === "high" ? "red" : "amber"}>{r.score}</Badge>
                    </span>
                  </li>
                ))}
              </ol>
            ) : (
              <p className="text-sm text-slate-600 dark:text-slate-400">No agent has an open anomaly.</p>
            )}
          </Card>
          <div id="open-anomalies" className="scroll-mt-6 lg:col-span-3">
            <Card>
              <h2 className="mb-1 text-sm font-semibold">Open anomalies</h2>
              <AnomaliesPanel
                tenantSlug={tenant.slug}
                canAct={can(caller.roles, "agents.write", tenant.id)}
                anomalies={open.map((a) => ({
                  id: a.id,
                  agent: a.agent,
                  kind: a.kind,
                  severity: a.severity,
                  status: a.status,
                  windowStart: a.windowStart.toISOString(),
                  windowEnd: a.windowEnd.toISOString(),
                  observed: a.observed,
                  expected: a.expected,
                  detail: a.detail,
                }))}
              />
            </Card>
          </div>
        </section>
      ) : null}
      <h2 className="mt-10 mb-3 text-sm font-semibold tracking-wide text-muted uppercase">Where to go from here</h2>
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
