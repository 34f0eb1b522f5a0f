"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { Users } from "lucide-react";
import Link from "next/link";
import { useMemo } from "react";
import { DataTable, type FilterDef } from "@/components/data-table/data-table";
import { Badge } from "@/components/ui/badge";
import { formatAgo, formatUtc } from "@/lib/format";
import type { CursorPage } from "@/lib/schemas/pagination";
import type { PersonRow } from "@/server/users/people";
import { RoleBadges } from "./role-badges";

export function PeopleTable({
  tenantSlug,
  page,
  tenants,
  onlyTenantId,
  now,
}: {
  tenantSlug: string;
  page: CursorPage<PersonRow>;
  /** Tenants to filter by (global readers); empty when the list is confined to one tenant. */
  tenants: { slug: string; name: string }[];
  /** The list shows one tenant's members: show only their role there. */
  onlyTenantId?: string;
  now: Date;
}) {
  const columns = useMemo<ColumnDef<PersonRow, unknown>[]>(
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
      page={page}
      filters={filters}
      searchPlaceholder="Name or email"
      empty={{
        icon: Users,
        message: "Nobody here yet. Invite the people who own agents and approve their requests.",
      }}
    />
  );
}
