"use client";

import { CheckSquare, CircleCheck, CircleX } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { EmptyState } from "@/components/ui/empty-state";
import type { ApprovalItem } from "../_lib/load-approvals";
import { RequestCard } from "./request-card";

interface Answered {
  approved: boolean;
  text: string;
}

/** The requests waiting for an answer, newest first; what was just answered is said on top. */
export function PendingRequests({
  items,
  tenantSlug,
  agentLinks,
  now,
  usableMinutes,
}: {
  items: ApprovalItem[];
  tenantSlug: string;
  agentLinks: boolean;
  now: Date;
  usableMinutes: number;
}) {
  const router = useRouter();
  const [answered, setAnswered] = useState<Answered | null>(null);
  return (
    <div className="space-y-4">
      {answered ? (
        <p
          role="status"
          className={
            answered.approved
              ? "flex items-center gap-2 rounded-md bg-emerald-50 p-3 text-sm text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100"
              : "flex items-center gap-2 rounded-md bg-slate-100 p-3 text-sm text-slate-800 dark:bg-slate-800 dark:text-slate-100"
          }
        >
          {answered.approved ? (
            <CircleCheck className="size-4 shrink-0" aria-hidden />
          ) : (
            <CircleX className="size-4 shrink-0" aria-hidden />
          )}
          {answered.text}
        </p>
      ) : null}
      {items.length === 0 ? (
        <EmptyState icon={CheckSquare} title="Nothing is waiting for approval">
          When a policy marked <code className="font-mono text-xs">@needs_approval</code> permits an action, the
          agent&apos;s request waits here for its owner, a tenant owner or a security admin. Answered and expired
          requests are under Decided.
        </EmptyState>
      ) : (
        <ul className="space-y-4" aria-label="Pending approval requests">
          {items.map((item) => (
            <RequestCard
              key={item.id}
              item={item}
              agentHref={agentLinks ? `/${tenantSlug}/agents/${item.agent.id}` : null}
              now={now}
              usableMinutes={usableMinutes}
              onAnswered={(approved) => {
                const what = `${item.agent.name}'s ${item.action} on ${item.resource.type} ${item.resource.id}`;
                setAnswered({
                  approved,
                  text: approved
                    ? `Approved ${what}: the agent may do it once, within ${usableMinutes} minutes.`
                    : `Denied ${what}. The agent is told at its next check.`,
                });
                router.refresh();
              }}
              onStale={() => router.refresh()}
            />
          ))}
        </ul>
      )}
    </div>
  );
}
