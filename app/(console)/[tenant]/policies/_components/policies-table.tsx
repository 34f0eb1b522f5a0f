"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { FileCode2 } from "lucide-react";
import Link from "next/link";
import { useMemo } from "react";
import { DataTable, type FilterDef } from "@/components/data-table/data-table";
import { formatDate } from "@/lib/format";
import type { OffsetPage } from "@/lib/schemas/pagination";
import type { listPolicies } from "@/server/policies/policies";
import { ActionList, ApprovalBadge, EffectBadge, EnabledBadge, ScopeBadge } from "./policy-badges";

/** A policy as the table shows it (its text stays on its own page). */
export type PolicyTableRow = Pick<
  Awaited<ReturnType<typeof listPolicies>>[number],
  | "id"
  | "tenantId"
  | "name"
  | "description"
  | "effect"
  | "requiresApproval"
  | "actions"
  | "version"
  | "enabled"
  | "updatedAt"
>;

export function PoliciesTable({
  tenantSlug,
  tenantName,
  page,
  canWrite,
}: {
  tenantSlug: string;
  tenantName: string;
  page: OffsetPage<PolicyTableRow>;
  canWrite: boolean;
}) {
  const columns = useMemo<ColumnDef<PolicyTableRow, unknown>[]>(
    () => [
      {
        id: "name",
        header: "Name",
        meta: { sortKey: "name" },
        enableHiding: false,
        cell: ({ row }) => (
          <div className="min-w-44">
            <Link
              href={`/${tenantSlug}/policies/${row.original.id}`}
              className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
            >
              {row.original.name}
            </Link>
            {row.original.description ? (
              <p className="line-clamp-1 max-w-md text-xs text-muted">{row.original.description}</p>
            ) : null}
          </div>
        ),
      },
      {
        id: "scope",
        header: "Applies in",
        cell: ({ row }) => <ScopeBadge tenantName={row.original.tenantId === null ? null : tenantName} />,
      },
      {
        id: "effect",
        header: "Effect",
        cell: ({ row }) => (
          <span className="flex flex-wrap gap-1">
            <EffectBadge effect={row.original.effect} />
            <ApprovalBadge requiresApproval={row.original.requiresApproval} />
          </span>
        ),
      },
      { id: "actions", header: "Actions", cell: ({ row }) => <ActionList actions={row.original.actions} /> },
      {
        id: "version",
        header: "Version",
        meta: { sortKey: "version" },
        cell: ({ row }) => <span className="tabular-nums">v{row.original.version}</span>,
      },
      { id: "status", header: "Status", cell: ({ row }) => <EnabledBadge enabled={row.original.enabled} /> },
      {
        id: "updated",
        header: "Updated",
        meta: { sortKey: "updated_at" },
        cell: ({ row }) => (
          <span className="whitespace-nowrap text-slate-600 dark:text-slate-400">
            {formatDate(row.original.updatedAt)}
          </span>
        ),
      },
    ],
    [tenantSlug, tenantName],
  );

  const filters: FilterDef[] = [
    {
      param: "scope",
      label: "Applies in",
      options: [
        { value: "global", label: "Global" },
        { value: "tenant", label: tenantName },
      ],
    },
    {
      param: "effect",
      label: "Effect",
      options: [
        { value: "permit", label: "Permit" },
        { value: "forbid", label: "Forbid" },
      ],
    },
    {
      param: "status",
      label: "Status",
      options: [
        { value: "enabled", label: "Enabled" },
        { value: "disabled", label: "Disabled" },
      ],
    },
  ];

  return (
    <DataTable
      label="Policies"
      columns={columns}
      page={page}
      filters={filters}
      searchPlaceholder="Search policies"
      empty={{
        icon: FileCode2,
        message: "No policies here yet.",
        action: canWrite ? { href: `/${tenantSlug}/policies/new`, label: "Write the first policy" } : undefined,
      }}
    />
  );
}
