"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { Bot } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { DataTable, type FilterDef } from "@/components/data-table/data-table";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { AGENT_STATUSES, STATUS_LABELS } from "@/lib/agent-lifecycle";
import { formatDate } from "@/lib/format";
import { ENVIRONMENTS } from "@/lib/schemas/agents";
import type { OffsetPage } from "@/lib/schemas/pagination";
import type { AgentRow } from "@/server/agents/list-agents";
import { bulkTransitionAction } from "../actions";
import { ReviewBadge, StatusBadge } from "./status-badge";

export function AgentsTable({
  tenantSlug,
  page,
  owners,
  canWrite,
}: {
  tenantSlug: string;
  page: OffsetPage<AgentRow>;
  owners: { id: string; name: string }[];
  canWrite: boolean;
}) {
  const router = useRouter();
  const [bulk, setBulk] = useState<{
    transition: "suspend" | "resume";
    rows: AgentRow[];
    clear: () => void;
  } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const columns = useMemo<ColumnDef<AgentRow, unknown>[]>(
    () => [
      {
        id: "name",
        header: "Name",
        meta: { sortKey: "name" },
        enableHiding: false,
        cell: ({ row }) => (
          <Link
            href={`/${tenantSlug}/agents/${row.original.id}`}
            className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
          >
            {row.original.name}
          </Link>
        ),
      },
      {
        id: "status",
        header: "Status",
        meta: { sortKey: "status" },
        cell: ({ row }) => (
          <span className="flex flex-wrap gap-1">
            <StatusBadge status={row.original.status} />
            {row.original.orphaned ? <Badge tone="red">Orphaned</Badge> : null}
          </span>
        ),
      },
      {
        id: "environment",
        header: "Environment",
        meta: { sortKey: "environment" },
        cell: ({ row }) => <span className="capitalize">{row.original.environment}</span>,
      },
      {
        id: "owner",
        header: "Owner",
        cell: ({ row }) => (
          <span className={row.original.owner.active ? "" : "text-muted line-through"} title={row.original.owner.email}>
            {row.original.owner.name}
          </span>
        ),
      },
      {
        id: "review",
        header: "Review due",
        meta: { sortKey: "review_due_at" },
        cell: ({ row }) => (
          <span className="flex items-center gap-2 whitespace-nowrap">
            {formatDate(row.original.reviewDueAt)}
            <ReviewBadge review={row.original.review} />
          </span>
        ),
      },
      {
        id: "created",
        header: "Created",
        meta: { sortKey: "created_at" },
        cell: ({ row }) => (
          <span className="whitespace-nowrap text-slate-600 dark:text-slate-400">
            {formatDate(row.original.createdAt)}
          </span>
        ),
      },
    ],
    [tenantSlug],
  );

  const filters: FilterDef[] = [
    { param: "status", label: "Status", options: AGENT_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] })) },
    {
      param: "environment",
      label: "Environment",
      options: ENVIRONMENTS.map((e) => ({ value: e, label: e[0].toUpperCase() + e.slice(1) })),
    },
    { param: "owner", label: "Owner", options: owners.map((o) => ({ value: o.id, label: o.name })) },
    { param: "review", label: "Review", options: [{ value: "due", label: "Due within 14 days" }] },
    { param: "orphaned", label: "Ownership", options: [{ value: "true", label: "Orphaned" }] },
  ];

  return (
    <>
      {notice ? (
        <p role="status" className="mb-3 rounded-md bg-slate-100 px-4 py-2 text-sm dark:bg-slate-800">
          {notice}
        </p>
      ) : null}
      <DataTable
        label="Agents"
        columns={columns}
        page={page}
        filters={filters}
        searchPlaceholder="Search agents by name"
        bulkActions={
          canWrite
            ? (selected, clear) => (
                <>
                  <Button variant="secondary" onClick={() => setBulk({ transition: "suspend", rows: selected, clear })}>
                    Suspend
                  </Button>
                  <Button variant="secondary" onClick={() => setBulk({ transition: "resume", rows: selected, clear })}>
                    Resume
                  </Button>
                </>
              )
            : undefined
        }
        empty={{
          icon: Bot,
          message: "No agents registered in this tenant yet.",
          action: canWrite ? { href: `/${tenantSlug}/agents/new`, label: "Register the first agent" } : undefined,
        }}
      />
      <ConfirmDialog
        open={!!bulk}
        title={
          bulk
            ? `${bulk.transition === "suspend" ? "Suspend" : "Resume"} ${bulk.rows.length} agent${bulk.rows.length === 1 ? "" : "s"}?`
            : ""
        }
        description={bulk ? bulk.rows.map((r) => r.name).join(", ") : null}
        confirmLabel={bulk?.transition === "suspend" ? "Suspend" : "Resume"}
        tone={bulk?.transition === "suspend" ? "danger" : "primary"}
        onClose={() => setBulk(null)}
        onConfirm={async (reason) => {
          if (!bulk) return null;
          const result = await bulkTransitionAction(
            bulk.rows.map((r) => r.id),
            bulk.transition,
            reason,
          );
          if (!result.ok) return result.error;
          const failed = result.data.filter((r) => !r.ok);
          const done = result.data.length - failed.length;
          setNotice(
            `${done} agent${done === 1 ? "" : "s"} ${bulk.transition === "suspend" ? "suspended" : "resumed"}.` +
              (failed.length
                ? ` ${failed.length} unchanged: ${failed.map((f) => `${bulk.rows.find((r) => r.id === f.id)?.name}: ${f.error}`).join("; ")}`
                : ""),
          );
          bulk.clear();
          router.refresh();
          return null;
        }}
      />
    </>
  );
}
