"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { FileCode2 } from "lucide-react";
import Link from "next/link";
import { useMemo } from "react";
import { DataTable, type FilterDef } from "@/components/data-table/data-table";
import { formatDate } from "@/lib/format";
import { ActionList, ApprovalBadge, EffectBadge, EnabledBadge, ScopeBadge } from "./policy-badges";

export interface PolicyTableRow {
  id: string;
  name: string;
  description: string;
  global: boolean;
  effect: string;
  requiresApproval: boolean;
  actions: string[];
  version: number;
  enabled: boolean;
  updatedAt: string;
}

export function PoliciesTable({
  tenantSlug,
  tenantName,
  rows,
  total,
  page,
  pageSize,
  sort,
  dir,
  canWrite,
}: {
  tenantSlug: string;
  tenantName: string;
  rows: PolicyTableRow[];
  total: number;
  page: number;
  pageSize: number;
  sort: string;
  dir: "asc" | "desc";
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
        cell: ({ row }) => <ScopeBadge tenantName={row.original.global ? null : tenantName} />,
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
      rows={rows}
      total={total}
      page={page}
      pageSize={pageSize}
      sort={sort}
      dir={dir}
      filters={filters}
      searchPlaceholder="Search policies"
      empty={
        <div className="flex flex-col items-center gap-2 text-sm text-slate-600 dark:text-slate-400">
          <FileCode2 className="size-6 text-indigo-500" aria-hidden />
          No policies here yet.
          {canWrite ? (
            <Link
              href={`/${tenantSlug}/policies/new`}
              className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
            >
              Write the first policy
            </Link>
          ) : null}
        </div>
      }
    />
  );
}
