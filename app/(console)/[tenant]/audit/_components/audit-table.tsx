"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { Download, ScrollText, ShieldCheck, X } from "lucide-react";
import { useSearchParams } from "next/navigation";
import { useCallback, useMemo, useRef, useState } from "react";
import { DataTable, type FilterDef } from "@/components/data-table/data-table";
import { useUrlState } from "@/components/data-table/use-url-state";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { LineDiffTable } from "@/components/ui/line-diff-table";
import { formatUtc } from "@/lib/format";
import { diffLines } from "@/lib/line-diff";
import { AUDIT_ACTIONS, AUDIT_OUTCOMES } from "@/lib/schemas/audit";
import type { AuditEventRow } from "@/server/audit/events";
import { verifyAuditAction } from "../actions";

/** An event as the page hands it over (its time as an ISO string). */
export type AuditTableRow = Omit<AuditEventRow, "occurredAt"> & { occurredAt: string };

const OUTCOME_TONE = { success: "green", failure: "red", denied: "amber" } as const;
const FAMILIES = [...new Set(Object.keys(AUDIT_ACTIONS).map((a) => a.split(".")[0]))];

function Outcome({ outcome }: { outcome: string }) {
  return <Badge tone={OUTCOME_TONE[outcome as keyof typeof OUTCOME_TONE] ?? "gray"}>{outcome}</Badge>;
}

export function AuditTable({
  tenantSlug,
  rows,
  total,
  totalCapped,
  cursors,
  pageSize,
  choices,
  canExport,
  canVerify,
  global,
}: {
  tenantSlug: string;
  rows: AuditTableRow[];
  total: number;
  totalCapped: boolean;
  cursors: { prev: string | null; next: string | null };
  pageSize: number;
  choices: {
    people: { id: string; name: string }[];
    agents: { id: string; name: string }[];
    clients: { id: string; name: string }[];
  };
  canExport: boolean;
  canVerify: boolean;
  /** An installation-wide reader: may widen the log to every tenant and installation events. */
  global: boolean;
}) {
  const [open, setOpen] = useState<AuditTableRow | null>(null);
  const [verification, setVerification] = useState<{ ok: boolean; text: string } | null>(null);
  const [verifying, setVerifying] = useState(false);
  const params = useSearchParams();
  const { set } = useUrlState();
  const drawer = useRef<HTMLDialogElement>(null);

  const show = useCallback((row: AuditTableRow) => {
    setOpen(row);
    drawer.current?.showModal();
  }, []);

  const columns = useMemo<ColumnDef<AuditTableRow, unknown>[]>(
    () => [
      {
        id: "time",
        header: "Time (UTC)",
        enableHiding: false,
        cell: ({ row }) => (
          <button
            type="button"
            onClick={() => show(row.original)}
            className="font-mono text-xs whitespace-nowrap text-indigo-700 hover:underline dark:text-indigo-300"
            title={`Event ${row.original.seq}: show everything recorded`}
          >
            {row.original.occurredAt.slice(0, 19).replace("T", " ")}
          </button>
        ),
      },
      {
        id: "actor",
        header: "Actor",
        cell: ({ row }) => (
          <span className="flex flex-col">
            <span className="font-medium">{row.original.actor.label ?? row.original.actor.id ?? "—"}</span>
            <span className="text-xs text-slate-500">
              {row.original.actor.type}
              {row.original.onBehalfOf ? " · for a person" : ""}
            </span>
          </span>
        ),
      },
      {
        id: "action",
        header: "Action",
        cell: ({ row }) => (
          <span className="flex flex-col">
            <span>{AUDIT_ACTIONS[row.original.action] ?? row.original.action}</span>
            <code className="text-xs text-slate-500">{row.original.action}</code>
          </span>
        ),
      },
      {
        id: "target",
        header: "Target",
        cell: ({ row }) =>
          row.original.target.type ? (
            <span className="text-xs">
              {row.original.target.type}{" "}
              <code className="text-slate-500" title={row.original.target.id ?? undefined}>
                {(row.original.target.id ?? "").slice(0, 12)}
              </code>
            </span>
          ) : (
            "—"
          ),
      },
      { id: "outcome", header: "Outcome", cell: ({ row }) => <Outcome outcome={row.original.outcome} /> },
      {
        id: "reason",
        header: "Reason",
        cell: ({ row }) => (
          <span className="line-clamp-2 max-w-xs text-xs text-slate-600 dark:text-slate-400">
            {row.original.reason ?? ""}
          </span>
        ),
      },
      ...(global
        ? [
            {
              id: "tenant",
              header: "Tenant",
              cell: ({ row }: { row: { original: AuditTableRow } }) => row.original.tenant?.slug ?? "installation",
            } as ColumnDef<AuditTableRow, unknown>,
          ]
        : []),
    ],
    [global, show],
  );

  const filters: FilterDef[] = [
    {
      param: "action",
      label: "Action",
      options: [
        ...FAMILIES.map((f) => ({ value: `${f}.*`, label: `${f}.* (all)` })),
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

  const data = open?.data as { before?: unknown; after?: unknown } | null | undefined;
  const hasDiff = !!data && typeof data === "object" && ("before" in data || "after" in data);

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
      <DataTable
        label="Audit events"
        columns={columns}
        rows={rows}
        total={total}
        totalCapped={totalCapped}
        cursors={cursors}
        pageSize={pageSize}
        sort="seq"
        dir="desc"
        filters={filters}
        searchPlaceholder="Search an id, email or client"
        toolbar={
          <>
            {dateInput("from", "From")}
            {dateInput("to", "Until")}
          </>
        }
        empty={
          <div className="flex flex-col items-center gap-2 text-sm text-slate-600 dark:text-slate-400">
            <ScrollText className="size-6 text-indigo-500" aria-hidden />
            Nothing recorded here yet.
          </div>
        }
      />
      <dialog
        ref={drawer}
        onClose={() => setOpen(null)}
        aria-labelledby="event-title"
        className="my-0 mr-0 ml-auto h-full max-h-none w-full max-w-2xl overflow-y-auto bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/40 dark:bg-slate-900 dark:text-slate-100"
      >
        {open ? (
          <div className="space-y-4 p-6">
            <div className="flex items-start justify-between gap-4">
              <div>
                <h2 id="event-title" className="text-lg font-semibold">
                  {AUDIT_ACTIONS[open.action] ?? open.action}
                </h2>
                <p className="text-sm text-slate-500">
                  Event #{open.seq} · {formatUtc(open.occurredAt)} · <Outcome outcome={open.outcome} />
                </p>
              </div>
              <Button variant="ghost" aria-label="Close" onClick={() => drawer.current?.close()}>
                <X className="size-4" aria-hidden />
              </Button>
            </div>
            <dl className="grid grid-cols-[9rem_1fr] gap-x-4 gap-y-2 text-sm">
              {(
                [
                  ["Action", <code key="a">{open.action}</code>],
                  [
                    "Actor",
                    `${open.actor.label ?? "—"} (${open.actor.type}${open.actor.id ? `, ${open.actor.id}` : ""})`,
                  ],
                  ["On behalf of", open.onBehalfOf ?? "—"],
                  ["Tenant", open.tenant?.slug ?? "installation"],
                  ["Target", open.target.type ? `${open.target.type} ${open.target.id ?? ""}` : "—"],
                  ["Reason", open.reason ?? "—"],
                  ["Request", open.requestId ?? "—"],
                  ["Source address", open.ip ?? "—"],
                  ["User agent", open.userAgent ?? "—"],
                  [
                    "Previous hash",
                    <code key="p" className="text-xs break-all">
                      {open.prevHash}
                    </code>,
                  ],
                  [
                    "Hash",
                    <code key="h" className="text-xs break-all">
                      {open.hash}
                    </code>,
                  ],
                ] as const
              ).map(([k, v]) => (
                <div key={k} className="contents">
                  <dt className="text-slate-500">{k}</dt>
                  <dd className="break-words">{v}</dd>
                </div>
              ))}
            </dl>
            {hasDiff ? (
              <div className="space-y-1">
                <h3 className="text-sm font-semibold">Before → after</h3>
                <LineDiffTable
                  caption="What changed"
                  diff={diffLines(
                    JSON.stringify(data?.before ?? null, null, 2),
                    JSON.stringify(data?.after ?? null, null, 2),
                  )}
                />
              </div>
            ) : null}
            <div className="space-y-1">
              <h3 className="text-sm font-semibold">Recorded data</h3>
              <pre className="overflow-x-auto rounded-md bg-slate-50 p-3 text-xs dark:bg-slate-800">
                {JSON.stringify(open.data, null, 2) ?? "null"}
              </pre>
            </div>
          </div>
        ) : null}
      </dialog>
    </>
  );
}
