"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { Download, ScrollText, ShieldCheck } from "lucide-react";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { DataTable, type FilterDef } from "@/components/data-table/data-table";
import { useUrlState } from "@/components/data-table/use-url-state";
import { Button } from "@/components/ui/button";
import { formatAgo } from "@/lib/format";
import { AUDIT_ACTIONS, AUDIT_FAMILIES, AUDIT_OUTCOMES, SEARCH_NAME_LIMIT } from "@/lib/schemas/audit";
import type { CursorPage } from "@/lib/schemas/pagination";
import type { AuditEventRow } from "@/server/audit-log/events";
import { verifyAuditAction } from "../actions";
import { ActorName, Outcome, shortId, TargetName } from "./event-parts";

/** An event as the table shows it (what only its own page shows is left out). */
export type AuditTableRow = Pick<
  AuditEventRow,
  "id" | "seq" | "occurredAt" | "tenant" | "actor" | "onBehalfOf" | "onBehalfOfName" | "action" | "target" | "outcome"
>;

const FAMILIES = Object.entries(AUDIT_FAMILIES);

export function AuditTable({
  tenantSlug,
  page,
  now,
  choices,
  canExport,
  canVerify,
  global,
  searchBroad,
}: {
  tenantSlug: string;
  page: CursorPage<AuditTableRow>;
  /** The server's clock when the page was made: times read "5 min ago" from it, alike on both sides. */
  now: Date;
  choices: {
    people: { id: string; name: string }[];
    agents: { id: string; name: string }[];
    clients: { id: string; name: string }[];
  };
  canExport: boolean;
  canVerify: boolean;
  /** An installation-wide reader: may widen the log to every tenant and installation events. */
  global: boolean;
  /** The search named more agents, people or clients than it looks through. */
  searchBroad: boolean;
}) {
  const [verification, setVerification] = useState<{ ok: boolean; text: string } | null>(null);
  const [verifying, setVerifying] = useState(false);
  const params = useSearchParams();
  const { set } = useUrlState();

  const columns = useMemo<ColumnDef<AuditTableRow, unknown>[]>(
    () => [
      {
        id: "time",
        header: "Time",
        enableHiding: false,
        cell: ({ row }) => {
          const iso = row.original.occurredAt.toISOString();
          const exact = `${iso.slice(0, 19).replace("T", " ")} UTC`;
          return (
            <time dateTime={iso} title={exact} className="whitespace-nowrap text-slate-600 dark:text-slate-400">
              {formatAgo(row.original.occurredAt, now)}
              <span className="sr-only">, {exact}</span>
            </time>
          );
        },
      },
      {
        id: "actor",
        header: "Actor",
        cell: ({ row }) => (
          <span className="block max-w-60">
            <ActorName actor={row.original.actor} />
          </span>
        ),
      },
      {
        id: "on_behalf_of",
        header: "On behalf of",
        cell: ({ row }) =>
          row.original.onBehalfOf ? (
            <span className="block max-w-40 truncate" title={row.original.onBehalfOf}>
              {row.original.onBehalfOfName ?? shortId(row.original.onBehalfOf)}
            </span>
          ) : (
            <span className="text-muted">—</span>
          ),
      },
      {
        id: "action",
        header: "Action",
        enableHiding: false,
        cell: ({ row }) => (
          <Link
            href={`/${tenantSlug}/audit/${row.original.id}`}
            title={row.original.action}
            className="block max-w-56 truncate font-medium text-indigo-700 hover:underline focus-visible:rounded-sm focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-indigo-300"
          >
            {AUDIT_ACTIONS[row.original.action] ?? row.original.action}
          </Link>
        ),
      },
      {
        id: "target",
        header: "Target",
        cell: ({ row }) => (
          <span className="block max-w-64">
            <TargetName target={row.original.target} />
          </span>
        ),
      },
      { id: "outcome", header: "Outcome", cell: ({ row }) => <Outcome outcome={row.original.outcome} /> },
      ...(global
        ? [
            {
              id: "tenant",
              header: "Tenant",
              cell: ({ row }: { row: { original: AuditTableRow } }) => (
                <span className="whitespace-nowrap" title={row.original.tenant?.name}>
                  {row.original.tenant?.slug ?? "installation"}
                </span>
              ),
            } as ColumnDef<AuditTableRow, unknown>,
          ]
        : []),
    ],
    [global, now, tenantSlug],
  );

  const filters: FilterDef[] = [
    {
      param: "action",
      label: "Action",
      options: [
        ...FAMILIES.map(([f, { label }]) => ({ value: `${f}.*`, label: `${label} (${f}.*)` })),
        ...Object.entries(AUDIT_ACTIONS).map(([value, label]) => ({ value, label: `${label} (${value})` })),
      ],
    },
    { param: "outcome", label: "Outcome", options: AUDIT_OUTCOMES.map((o) => ({ value: o, label: o })) },
    {
      param: "actor",
      label: "Actor",
      options: [
        ...choices.people.map((p) => ({ value: p.id, label: `Person: ${p.name}` })),
        ...choices.agents.map((a) => ({ value: a.id, label: `Agent: ${a.name}` })),
        ...choices.clients.map((c) => ({ value: c.id, label: `Client: ${c.name}` })),
      ],
    },
    { param: "agent", label: "Agent", options: choices.agents.map((a) => ({ value: a.id, label: a.name })) },
    ...(global
      ? [
          {
            param: "scope",
            label: "Scope",
            emptyLabel: "This tenant",
            options: [{ value: "all", label: "Every tenant and installation events" }],
          },
        ]
      : []),
  ];

  const exportQuery = new URLSearchParams(params.toString());
  exportQuery.delete("cursor");
  exportQuery.delete("page_size");
  exportQuery.delete("hide");
  const exportHref = (format: string) => {
    const q = new URLSearchParams(exportQuery);
    q.set("format", format);
    return `/${tenantSlug}/audit/export?${q.toString()}`;
  };

  const dateInput = (param: "from" | "to", label: string) => (
    <label className="flex items-center gap-1.5 text-sm text-slate-600 dark:text-slate-300">
      {label}
      <input
        type="date"
        aria-label={label}
        value={params.get(param) ?? ""}
        onChange={(e) => set({ [param]: e.target.value })}
        className="rounded-md bg-white px-2 py-1.5 text-sm ring-1 ring-slate-300 dark:bg-slate-900 dark:ring-slate-700"
      />
    </label>
  );

  return (
    <>
      {verification ? (
        <p
          role="status"
          data-testid="verification"
          className={
            verification.ok
              ? "mb-3 rounded-md bg-emerald-50 px-4 py-2 text-sm text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100"
              : "mb-3 rounded-md bg-red-50 px-4 py-2 text-sm text-red-900 dark:bg-red-950 dark:text-red-100"
          }
        >
          {verification.text}
        </p>
      ) : null}
      <div className="mb-3 flex flex-wrap items-center gap-2">
        {canExport ? (
          <>
            <span className="text-sm text-slate-600 dark:text-slate-400">Export these events:</span>
            {(["csv", "ndjson", "ocsf"] as const).map((f) => (
              <a
                key={f}
                href={exportHref(f)}
                download
                className="inline-flex items-center gap-1.5 rounded-md px-2.5 py-1.5 text-sm ring-1 ring-slate-300 hover:bg-slate-50 dark:ring-slate-700 dark:hover:bg-slate-800"
              >
                <Download className="size-4" aria-hidden /> {f === "ocsf" ? "OCSF" : f.toUpperCase()}
              </a>
            ))}
          </>
        ) : null}
        {canVerify ? (
          <Button
            variant="secondary"
            className="ml-auto"
            disabled={verifying}
            onClick={async () => {
              setVerifying(true);
              const r = await verifyAuditAction();
              setVerifying(false);
              if (!r.ok) return setVerification({ ok: false, text: r.error });
              const v = r.data;
              setVerification(
                v.ok
                  ? {
                      ok: true,
                      text: `The audit chain is intact: ${v.events.toLocaleString("en")} events from #${v.from} to #${v.head.seq}, ${v.checkpoints.valid} signed checkpoints valid (key ${v.keyId}).`,
                    }
                  : {
                      ok: false,
                      text: v.broken
                        ? `The audit chain is broken at event #${v.broken.seq}: ${v.broken.problem}.`
                        : `${v.unchained} event(s) are not in the chain.`,
                    },
              );
            }}
          >
            <ShieldCheck className="size-4" aria-hidden /> {verifying ? "Verifying…" : "Verify the chain"}
          </Button>
        ) : null}
      </div>
      {searchBroad ? (
        <p
          role="status"
          className="mb-3 rounded-md bg-amber-50 px-4 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100"
        >
          “{params.get("q")}” is part of more than {SEARCH_NAME_LIMIT} names: the events of the first{" "}
          {SEARCH_NAME_LIMIT} of each kind are shown. Type more of the name to find the one you mean.
        </p>
      ) : null}
      <DataTable
        label="Audit events"
        columns={columns}
        page={page}
        filters={filters}
        searchPlaceholder="Search a name or id"
        toolbar={
          <>
            {dateInput("from", "From")}
            {dateInput("to", "Until")}
          </>
        }
        empty={{ icon: ScrollText, message: "Nothing recorded here yet." }}
      />
    </>
  );
}
