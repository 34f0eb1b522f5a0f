"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, buttonClass } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { type AgentStatus, canTransition, TRANSITION_NAMES, type Transition } from "@/lib/agent-lifecycle";
import { renewReviewAction, transitionAgentAction } from "../actions";

const LABEL: Record<Transition, string> = {
  activate: "Activate",
  suspend: "Suspend",
  resume: "Resume",
  retire: "Retire",
};

/**
 * The reversible lifecycle actions, in the page's header: activate, suspend, resume, renew, edit.
 * None is red: each can be undone. Retirement (final) is in the overview's danger zone.
 */
export function LifecycleActions({
  agent,
  editHref,
  canWrite,
  canSuspend,
  canRenew,
}: {
  agent: { id: string; name: string; status: AgentStatus; review: string };
  editHref: string;
  canWrite: boolean;
  /** Suspend and resume: those who manage agents, and the agent's owners. */
  canSuspend: boolean;
  canRenew: boolean;
}) {
  const router = useRouter();
  const [open, setOpen] = useState<Transition | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const available = TRANSITION_NAMES.filter(
    (t) => t !== "retire" && canTransition(agent.status, t) && (t === "activate" ? canWrite : canSuspend),
  );
  return (
    <div className="flex flex-wrap items-center gap-2">
      {message ? (
        <span role="alert" className="text-sm text-red-600">
          {message}
        </span>
      ) : null}
      {canRenew && agent.status !== "retired" && (agent.review === "due" || agent.review === "overdue") ? (
        <Button
          variant="secondary"
          onClick={async () => {
            const r = await renewReviewAction(agent.id);
            setMessage(r.ok ? null : r.error);
            router.refresh();
          }}
        >
          Renew review
        </Button>
      ) : null}
      {canWrite && agent.status !== "retired" ? (
        <Link href={editHref} className={buttonClass("secondary")}>
          Edit
        </Link>
      ) : null}
      {available.map((t) => (
        <Button key={t} variant={t === "suspend" ? "secondary" : "primary"} onClick={() => setOpen(t)}>
          {LABEL[t]}
        </Button>
      ))}
      <ConfirmDialog
        open={open !== null}
        title={open ? `${LABEL[open]} ${agent.name}?` : ""}
        description={
          open === "suspend"
            ? "The agent stops getting tokens until it is resumed, and its live tokens stop working at once."
            : open === "activate"
              ? "The agent may get tokens for its roles' scopes. Its first review is set a review period ahead."
              : "The agent may get tokens again."
        }
        confirmLabel={open ? LABEL[open] : ""}
        tone="primary"
        onClose={() => setOpen(null)}
        onConfirm={async (reason) => {
          if (!open) return null;
          const result = await transitionAgentAction(agent.id, open, reason);
          if (!result.ok) return result.error;
          router.refresh();
          return null;
        }}
      />
    </div>
  );
}
