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

export function LifecycleActions({
  agent,
  editHref,
  canWrite,
  canRenew,
}: {
  agent: { id: string; name: string; status: AgentStatus; review: string };
  editHref: string;
  canWrite: boolean;
  canRenew: boolean;
}) {
  const router = useRouter();
  const [open, setOpen] = useState<Transition | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const available = canWrite ? TRANSITION_NAMES.filter((t) => canTransition(agent.status, t)) : [];
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
        <Button key={t} variant={t === "retire" || t === "suspend" ? "danger" : "primary"} onClick={() => setOpen(t)}>
          {LABEL[t]}
        </Button>
      ))}
      <ConfirmDialog
        open={open !== null}
        title={open ? `${LABEL[open]} ${agent.name}?` : ""}
        description={
          open === "retire"
            ? "Retirement is final: the agent can never get a token again. Its history stays on record."
            : open === "suspend"
              ? "The agent stops getting tokens until it is resumed."
              : open === "activate"
                ? "The agent may get tokens for its roles' scopes. Its first review is set a review period ahead."
                : "The agent may get tokens again."
        }
        confirmLabel={open ? LABEL[open] : ""}
        tone={open === "retire" || open === "suspend" ? "danger" : "primary"}
        typeToConfirm={open === "retire" ? agent.name : undefined}
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
