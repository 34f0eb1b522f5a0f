import type { Metadata } from "next";
import Link from "next/link";
import { formatUtc } from "@/lib/format";
import { AUDIT_ACTIONS } from "@/lib/schemas/audit";
import { listAuditEvents } from "@/server/audit-log/events";
import { orRefuse } from "../../../_lib/tenant-context";
import { ActorName, Outcome, TargetName } from "../../../audit/_components/event-parts";
import { agentPage } from "../_lib/agent-context";

type Params = Promise<{ tenant: string; id: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `Audit · ${(await agentPage(params)).agent.name} · Agents` };
}

const OUTCOMES = ["success", "denied", "failure"] as const;

/** What this agent did and what was done to it, newest first (the audit log, for this agent). */
export default async function AgentAuditPage({
  params,
  searchParams,
}: {
  params: Params;
  searchParams: Promise<{ outcome?: string }>;
}) {
  const { caller, tenant, agent } = await agentPage(params);
  const asked = (await searchParams).outcome;
  const outcome = OUTCOMES.find((o) => o === asked);
  const events = await orRefuse(() =>
    listAuditEvents(caller, { tenant: tenant.id, agent: agent.id, page_size: 50, ...(outcome ? { outcome } : {}) }),
  );
  const full = `/${tenant.slug}/audit?agent=${agent.id}${outcome ? `&outcome=${outcome}` : ""}`;
  return (
    <section className="overflow-hidden rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-5 py-3 dark:border-slate-800">
        <h2 className="text-sm font-semibold">
          {outcome ? `Events with outcome ${outcome}` : "Latest events"}{" "}
          <span className="font-normal text-muted">
            ({events.totalCapped ? "more than " : ""}
            {events.total.toLocaleString("en")})
          </span>
        </h2>
        <Link href={full} className="text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
          Open in the audit log
        </Link>
      </div>
      {events.rows.length === 0 ? (
        <p className="px-5 py-10 text-center text-sm text-muted">Nothing recorded for this agent yet.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm" aria-label="This agent's audit events">
            <thead className="bg-slate-50 text-xs text-muted uppercase dark:bg-slate-800/50">
              <tr>
                {["Time", "Actor", "Action", "Target", "Outcome", "Reason"].map((h) => (
                  <th key={h} scope="col" className="px-4 py-2 font-medium whitespace-nowrap">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {events.rows.map((e) => (
                <tr key={e.id}>
                  <td className="px-4 py-2 whitespace-nowrap">{formatUtc(e.occurredAt)}</td>
                  <td className="px-4 py-2">
                    <ActorName actor={e.actor} />
                  </td>
                  <td className="px-4 py-2">
                    {/* Each event opens at its own address, to be shared. */}
                    <Link
                      href={`/${tenant.slug}/audit/${e.id}`}
                      className="font-medium whitespace-nowrap text-indigo-700 hover:underline dark:text-indigo-300"
                    >
                      {AUDIT_ACTIONS[e.action] ?? e.action}
                    </Link>
                  </td>
                  <td className="px-4 py-2">
                    <TargetName target={e.target} />
                  </td>
                  <td className="px-4 py-2">
                    <Outcome outcome={e.outcome} />
                  </td>
                  <td className="max-w-md truncate px-4 py-2 text-slate-600 dark:text-slate-400">{e.reason ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
