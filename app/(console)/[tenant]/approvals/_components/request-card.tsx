"use client";

import { Check, X } from "lucide-react";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { contextRows } from "@/lib/approvals";
import type { ApprovalItem } from "../_lib/load-approvals";
import { approveRequestAction, denyRequestAction } from "../actions";
import { ActionCode, AgentName, Attributes, OnBehalfOf, When } from "./request-parts";

/**
 * One request waiting for an answer: everything the approver needs to judge it, and Approve or
 * Deny in one click (with an optional note for the record) for those allowed to answer.
 */
export function RequestCard({
  item,
  agentHref,
  now,
  usableMinutes,
  onAnswered,
  onStale,
}: {
  item: ApprovalItem;
  agentHref: string | null;
  now: Date;
  usableMinutes: number;
  onAnswered: (approved: boolean) => void;
  onStale: () => void;
}) {
  const noteId = useId();
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState<"approve" | "deny" | "done" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const context = contextRows(item.context);

  async function answer(approve: boolean) {
    setBusy(approve ? "approve" : "deny");
    setError(null);
    const r = await (approve ? approveRequestAction : denyRequestAction)(item.id, note);
    if (r.ok) {
      setBusy("done");
      onAnswered(approve);
      return;
    }
    setBusy(null);
    setError(r.fieldErrors?.note?.[0] ?? r.error);
    // Someone else answered first, or it expired: show the page as it is now.
    if (!r.fieldErrors) onStale();
  }

  return (
    <li
      data-testid="approval-request"
      aria-label={`${item.agent.name}: ${item.action} on ${item.resource.type} ${item.resource.id}`}
      className="rounded-xl border border-slate-200 bg-white shadow-xs dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="flex flex-wrap items-start justify-between gap-x-6 gap-y-2 px-5 pt-4 pb-3">
        <div className="min-w-0">
          <p className="flex flex-wrap items-center gap-2 text-base">
            <AgentName agent={item.agent} href={agentHref} />
            <span className="text-sm text-muted">asks to</span>
            <ActionCode action={item.action} />
          </p>
          <p className="mt-1 text-sm">
            <span className="text-muted">{item.resource.type}</span>{" "}
            <span className="font-mono font-medium">{item.resource.id}</span>
          </p>
        </div>
        <p className="text-xs text-muted sm:text-right">
          <When at={item.requestedAt} now={now} prefix="Requested" />
          <br />
          <When at={item.expiresAt} now={now} prefix="Expires" />
        </p>
      </div>

      <dl className="grid grid-cols-1 gap-x-6 gap-y-3 border-t border-slate-100 px-5 py-3 text-sm sm:grid-cols-2 lg:grid-cols-4 dark:border-slate-800">
        <div>
          <dt className="text-muted">Context</dt>
          <dd>
            {context.length === 0 ? (
              <span className="text-muted">None given</span>
            ) : (
              <ul>
                {context.map((row) =>
                  row.label === "Amount" ? (
                    <li key={row.label} className="text-lg font-semibold tabular-nums" data-testid="approval-amount">
                      {row.value}
                    </li>
                  ) : (
                    <li key={row.label}>
                      <span className="text-muted">{row.label}:</span> {row.value}
                    </li>
                  ),
                )}
              </ul>
            )}
          </dd>
        </div>
        <div>
          <dt className="text-muted">Resource attributes</dt>
          <dd>
            {Object.keys(item.resource.attributes).length ? (
              <Attributes attributes={item.resource.attributes} />
            ) : (
              <span className="text-muted">None</span>
            )}
          </dd>
        </div>
        <div>
          <dt className="text-muted">Asked by policy</dt>
          <dd>{item.policies.length ? item.policies.map((p) => <p key={p}>{p}</p>) : "—"}</dd>
        </div>
        <div>
          <dt className="text-muted">Acting for</dt>
          <dd>
            <OnBehalfOf who={item.onBehalfOf} />
          </dd>
        </div>
      </dl>

      <div className="flex flex-wrap items-center gap-x-4 gap-y-3 rounded-b-xl border-t border-slate-100 bg-slate-50 px-5 py-3 dark:border-slate-800 dark:bg-slate-800/40">
        {item.canDecide ? (
          <>
            <p className="mr-auto text-xs text-muted">
              Approving allows this exact request once, within {usableMinutes} minutes.
            </p>
            <div className="w-full sm:w-72">
              <label htmlFor={noteId} className="sr-only">
                Note (optional)
              </label>
              <input
                id={noteId}
                value={note}
                onChange={(e) => setNote(e.target.value)}
                maxLength={500}
                placeholder="Note for the record (optional)"
                className="block w-full rounded-md bg-white px-3 py-1.5 text-sm ring-1 ring-slate-300 ring-inset placeholder:text-slate-400 focus:ring-2 focus:ring-indigo-600 focus:outline-none dark:bg-slate-900 dark:ring-slate-700"
              />
            </div>
            <div className="flex gap-2">
              <Button variant="secondary" disabled={busy !== null} onClick={() => answer(false)}>
                <X className="size-4" aria-hidden />
                {busy === "deny" ? "Denying…" : "Deny"}
              </Button>
              <Button disabled={busy !== null} onClick={() => answer(true)}>
                <Check className="size-4" aria-hidden />
                {busy === "approve" ? "Approving…" : "Approve"}
              </Button>
            </div>
          </>
        ) : (
          <p className="text-xs text-muted">
            Only the agent&apos;s owner, a tenant owner or a security admin answers this request.
          </p>
        )}
        {error ? (
          <p role="alert" className="w-full text-sm text-red-600 dark:text-red-400">
            {error}
          </p>
        ) : null}
      </div>
    </li>
  );
}
