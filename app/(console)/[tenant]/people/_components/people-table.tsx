"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { Users } from "lucide-react";
import Link from "next/link";
import { useMemo } from "react";
import { DataTable, type FilterDef } from "@/components/data-table/data-table";
import { Badge } from "@/components/ui/badge";
import { formatAgo, formatUtc } from "@/lib/format";
import type { GlobalRoleName, MemberRole } from "@/lib/schemas/users";
import { RoleBadges } from "./role-badges";

export interface PersonTableRow {
  id: string;
  name: string;
  email: string;
  globalRole: GlobalRoleName | null;
  status: "active" | "deactivated";
  lastSignInAt: string | null;
  memberships: { tenant: { id: string; slug: string; name: string }; role: MemberRole }[];
}

export function PeopleTable({
  tenantSlug,
  rows,
  total,
  totalCapped,
  cursors,
  pageSize,
  tenants,
  onlyTenantId,
  now,
}: {
  tenantSlug: string;
  rows: PersonTableRow[];
  total: number;
  totalCapped: boolean;
  cursors: { prev: string | null; next: string | null };
  pageSize: number;
  /** Tenants to filter by (global readers); empty when the list is confined to one tenant. */
  tenants: { slug: string; name: string }[];
  /** The list shows one tenant's members: show only their role there. */
  onlyTenantId?: string;
  now: string;
}) {
  const columns = useMemo<ColumnDef<PersonTableRow, unknown>[]>(
    () => [
      {
        id: "name",
        header: "Person",
        enableHiding: false,
        cell: ({ row }) => (
          <div className="min-w-0">
            <Link
              href={`/${tenantSlug}/people/${row.original.id}`}
              className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
            >
              {row.original.name}
            </Link>
            <span className="block truncate text-xs text-muted">{row.original.email}</span>
          </div>
        ),
      },
      {
        id: "roles",
        header: "Roles",
        cell: ({ row }) => (
          <RoleBadges
            globalRole={row.original.globalRole}
            memberships={row.original.memberships}
            tenantId={onlyTenantId}
          />
        ),
      },
      {
        id: "status",
        header: "Status",
        cell: ({ row }) =>
          row.original.status === "active" ? <Badge tone="green">Active</Badge> : <Badge tone="red">Deactivated</Badge>,
      },
      {
        id: "last_sign_in",
        header: "Last sign-in",
        cell: ({ row }) =>
          row.original.lastSignInAt ? (
            <span title={formatUtc(row.original.lastSignInAt)}>{formatAgo(row.original.lastSignInAt, now)}</span>
          ) : (
            <span className="text-muted">Never</span>
          ),
      },
    ],
    [tenantSlug, onlyTenantId, now],
  );
  const filters: FilterDef[] = [
    ...(tenants.length
      ? [
          {
            param: "tenant",
            label: "Tenant",
            emptyLabel: "Everyone",
            options: tenants.map((t) => ({ value: t.slug, label: `In ${t.name}` })),
          },
        ]
      : []),
    {
      param: "status",
      label: "Status",
      emptyLabel: "Any status",
      options: [
        { value: "active", label: "Active" },
        { value: "deactivated", label: "Deactivated" },
      ],
    },
  ];
  return (
    <DataTable
      label="People"
      columns={columns}
      rows={rows}
      total={total}
      totalCapped={totalCapped}
      cursors={cursors}
      pageSize={pageSize}
      sort="name"
      dir="asc"
      filters={filters}
      searchPlaceholder="Name or email"
      empty={
        <div className="flex flex-col items-center gap-2 text-sm text-slate-600 dark:text-slate-400">
          <Users className="size-6 text-slate-400" aria-hidden />
          Nobody here yet. Invite the people who own agents and approve their requests.
        </div>
      }
    />
  );
}
