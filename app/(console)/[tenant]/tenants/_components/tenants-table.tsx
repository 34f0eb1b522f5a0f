"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { Building2, Plus } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { DataTable } from "@/components/data-table/data-table";
import { TenantForm } from "@/components/tenant-form";
import { Button } from "@/components/ui/button";
import { Modal } from "@/components/ui/modal";
import { formatDate } from "@/lib/format";
import type { OffsetPage } from "@/lib/schemas/pagination";
import type { TenantRow } from "@/server/tenants/manage-tenants";
import { createTenantAction, updateTenantAction } from "../actions";

export function NewTenantButton() {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)}>
        <Plus className="size-4" aria-hidden /> New tenant
      </Button>
      <Modal open={open} title="New tenant" onClose={() => setOpen(false)}>
        <TenantForm
          submitLabel="Create tenant"
          pendingLabel="Creating…"
          onSubmit={createTenantAction}
          onCancel={() => setOpen(false)}
          onDone={(slug) => {
            setOpen(false);
            router.push(`/${slug}`);
          }}
        />
      </Modal>
    </>
  );
}

export function TenantsTable({ page }: { page: OffsetPage<TenantRow> }) {
  const router = useRouter();
  const [renaming, setRenaming] = useState<TenantRow | null>(null);
  const columns = useMemo<ColumnDef<TenantRow, unknown>[]>(
    () => [
      {
        id: "name",
        header: "Tenant",
        enableHiding: false,
        cell: ({ row }) => (
          <div>
            <Link
              href={`/${row.original.slug}`}
              className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
            >
              {row.original.name}
            </Link>
            <span className="block font-mono text-xs text-muted">/{row.original.slug}</span>
          </div>
        ),
      },
      {
        id: "agents",
        header: "Agents",
        cell: ({ row }) => (
          <Link href={`/${row.original.slug}/agents`} className="hover:underline">
            {row.original.agents.toLocaleString("en")}
          </Link>
        ),
      },
      {
        id: "members",
        header: "Members",
        cell: ({ row }) => (
          <Link href={`/${row.original.slug}/people?tenant=${row.original.slug}`} className="hover:underline">
            {row.original.members.toLocaleString("en")}
          </Link>
        ),
      },
      {
        id: "grants",
        header: "Live grants",
        cell: ({ row }) => (
          <Link href={`/${row.original.slug}/grants`} className="hover:underline">
            {row.original.liveGrants.toLocaleString("en")}
          </Link>
        ),
      },
      { id: "created", header: "Created", cell: ({ row }) => formatDate(row.original.createdAt) },
      {
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        enableHiding: false,
        cell: ({ row }) => (
          <span className="flex justify-end">
            <Button
              variant="ghost"
              onClick={() => setRenaming(row.original)}
              aria-label={`Rename ${row.original.name}`}
            >
              Rename
            </Button>
          </span>
        ),
      },
    ],
    [],
  );
  return (
    <>
      <DataTable
        label="Tenants"
        columns={columns}
        page={page}
        searchPlaceholder="Search by name or slug"
        empty={{ icon: Building2, message: "No tenant yet." }}
      />
      <Modal open={!!renaming} title={`Rename ${renaming?.name ?? ""}`} onClose={() => setRenaming(null)}>
        {renaming ? (
          <>
            <p className="text-sm text-slate-600 dark:text-slate-400">
              A new slug changes the tenant&apos;s console addresses: links to the old one stop working.
            </p>
            <TenantForm
              initial={{ name: renaming.name, slug: renaming.slug }}
              submitLabel="Save"
              pendingLabel="Saving…"
              onSubmit={(input) =>
                updateTenantAction(renaming.id, {
                  ...(input.name !== renaming.name ? { name: input.name } : {}),
                  ...(input.slug !== renaming.slug ? { slug: input.slug } : {}),
                })
              }
              onCancel={() => setRenaming(null)}
              onDone={() => {
                setRenaming(null);
                router.refresh();
              }}
            />
          </>
        ) : null}
      </Modal>
    </>
  );
}
