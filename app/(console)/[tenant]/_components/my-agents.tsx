"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { formatDate } from "@/lib/format";
import type { listMyAgents } from "@/server/agents/list-agents";
import { ReviewBadge, StatusBadge } from "../agents/_components/status-badge";
import { renewReviewAction } from "../agents/actions";

type MyAgent = Awaited<ReturnType<typeof listMyAgents>>[number];

/** The agents you are accountable for, with their reviews and a one-click renewal. */
export function MyAgents({ tenantSlug, agents }: { tenantSlug: string; agents: MyAgent[] }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  return (
    <section
      aria-labelledby="my-agents"
      className="rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 id="my-agents" className="border-b border-slate-200 px-5 py-3 text-sm font-semibold dark:border-slate-800">
        Agents you are accountable for
      </h2>
      {error ? (
        <p role="alert" className="px-5 pt-3 text-sm text-red-600">
          {error}
        </p>
      ) : null}
      <ul className="divide-y divide-slate-100 dark:divide-slate-800">
        {agents.map((a) => (
          <li key={a.id} className="flex flex-wrap items-center gap-3 px-5 py-3 text-sm" data-testid="my-agent">
            {/* Owners open their own agents whatever their role (agentFor with owners). */}
            <Link
              href={`/${tenantSlug}/agents/${a.id}`}
              className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
            >
              {a.name}
            </Link>
            <StatusBadge status={a.status} />
            {a.backup ? <Badge>Backup owner</Badge> : null}
            <ReviewBadge review={a.review} />
            <span className="text-muted">
              {a.reviewDueAt ? `next review ${formatDate(a.reviewDueAt)}` : "no review date yet"}
            </span>
            {a.review === "due" || a.review === "overdue" ? (
              <Button
                variant="secondary"
                className="ml-auto"
                onClick={async () => {
                  const r = await renewReviewAction(a.id);
                  setError(r.ok ? null : r.error);
                  router.refresh();
                }}
              >
                Renew review
              </Button>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
