import { History } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { contextRows, outcomeOf } from "@/lib/approvals";
import type { ApprovalItem } from "../_lib/load-approvals";
import { ActionCode, AgentName, Attributes, OnBehalfOf, When } from "./request-parts";

const HEADERS = ["Request", "Context", "Outcome", "Answered", "Note"];

/** Answered and expired requests, newest answer first: who said what, when, and whether it was used. */
export function DecidedTable({
  items,
  tenantSlug,
  agentLinks,
  now,
}: {
  items: ApprovalItem[];
  tenantSlug: string;
  agentLinks: boolean;
  now: Date;
}) {
  if (items.length === 0) {
    return (
      <EmptyState icon={History} title="No answered requests yet">
        Requests someone approved or denied, and those nobody answered before they expired, are kept here with who
        answered, when, and whether the agent used the approval.
      </EmptyState>
    );
  }
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full text-left text-sm" aria-label="Decided approval requests">
        <thead className="bg-slate-50 text-xs text-muted uppercase dark:bg-slate-800/50">
          <tr>
            {HEADERS.map((h) => (
              <th key={h} scope="col" className="px-3 py-2 font-medium first:pl-5 last:pr-5">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {items.map((item) => {
            const outcome = outcomeOf(item, now);
            return (
              <tr key={item.id} data-testid="decided-request" className="align-top">
                <td className="min-w-72 py-3 pr-3 pl-5">
                  <p className="flex flex-wrap items-center gap-2">
                    <AgentName agent={item.agent} href={agentLinks ? `/${tenantSlug}/agents/${item.agent.id}` : null} />
                    <ActionCode action={item.action} />
                  </p>
                  <p className="mt-1">
                    <span className="text-muted">{item.resource.type}</span>{" "}
                    <span className="font-mono break-all">{item.resource.id}</span>
                  </p>
                  <Attributes attributes={item.resource.attributes} />
                  {item.onBehalfOf ? (
                    <p className="mt-1 text-xs">
                      <span className="text-muted">for</span> <OnBehalfOf who={item.onBehalfOf} />
                    </p>
                  ) : null}
                </td>
                <td className="px-3 py-3 whitespace-nowrap">
                  {contextRows(item.context).map((row) => (
                    <p key={row.label}>
                      <span className="text-muted">{row.label}:</span> {row.value}
                    </p>
                  ))}
                </td>
                <td className="px-3 py-3 whitespace-nowrap">
                  <Badge tone={outcome.tone}>{outcome.label}</Badge>
                  {outcome.use ? (
                    <p className="mt-1 text-xs text-muted">
                      {item.usedAt ? <When at={item.usedAt} now={now} prefix={outcome.use} /> : outcome.use}
                    </p>
                  ) : null}
                </td>
                <td className="px-3 py-3 whitespace-nowrap">
                  {item.decidedAt ? (
                    <>
                      <p>{item.decidedBy ?? "—"}</p>
                      <p className="text-xs text-muted">
                        <When at={item.decidedAt} now={now} />
                      </p>
                    </>
                  ) : (
                    <>
                      <p className="text-muted">No one</p>
                      <p className="text-xs text-muted">
                        <When at={item.expiresAt} now={now} prefix="expired" />
                      </p>
                    </>
                  )}
                </td>
                <td className="max-w-xs py-3 pr-5 pl-3 break-words text-slate-700 dark:text-slate-300">
                  {item.decisionNote || <span className="text-muted">—</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
