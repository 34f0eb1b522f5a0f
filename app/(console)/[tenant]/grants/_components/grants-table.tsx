"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { KeyRound, UserMinus } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { DataTable, type FilterDef } from "@/components/data-table/data-table";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { RiskBadge } from "@/components/ui/risk-badge";
import { formatAgo, formatDate, formatUtc } from "@/lib/format";
import { RISKS } from "@/lib/schemas/catalog";
import type { RevocationTarget } from "@/lib/schemas/grants";
import type { CursorPage } from "@/lib/schemas/pagination";
import type { GrantRow } from "@/server/grants/list-grants";
import { revokeGrantAction, revokeGrantsAction, revokeUserGrantsAction } from "../actions";
import { RevokeDialog } from "./revoke-dialog";

interface Pending {
  target: RevocationTarget;
  title: string;
  confirmLabel: string;
  run: (reason: string) => Promise<{ ok: true; message: string } | { ok: false; error: string }>;
  clear?: () => void;
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

const done = (r: { grants: number; tokens: number }) =>
  `Revoked ${plural(r.grants, "grant", "grants")} and ${plural(r.tokens, "live token", "live tokens")}.`;

/** As the domain decides: owners and admins any active grant, members their own. */
function revocableBy(row: GrantRow, me: string, any: boolean, own: boolean): boolean {
  return row.status === "active" && (any || (own && row.user.id === me));
}

export function GrantsTable({
  tenantSlug,
  me,
  everyone,
  canRevokeAny,
  canRevokeOwn,
  page,
  choices,
  filteredUser,
  now,
  emptyText,
}: {
  tenantSlug: string;
  me: string;
  /** The caller reads every grant in the tenant (not only their own). */
  everyone: boolean;
  canRevokeAny: boolean;
  canRevokeOwn: boolean;
  page: CursorPage<GrantRow>;
  choices: {
    users: { id: string; name: string; email: string }[];
    agents: { id: string; name: string }[];
    scopes: string[];
  };
  /** The person the list is filtered to, for the offboarding button. */
  filteredUser: { id: string; name: string } | null;
  /** The server's clock, so that "5 min ago" renders alike on both sides. */
  now: Date;
  /** What an empty list says where the list is narrowed by its page (one agent's grants). */
  emptyText?: string;
}) {
  const router = useRouter();
  const [pending, setPending] = useState<Pending | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const revocable = (row: GrantRow) => revocableBy(row, me, canRevokeAny, canRevokeOwn);

  const columns = useMemo<ColumnDef<GrantRow, unknown>[]>(() => {
    const cols: ColumnDef<GrantRow, unknown>[] = [];
    if (everyone) {
      cols.push({
        id: "user",
        header: "User",
        enableHiding: false,
        cell: ({ row }) => (
          <span className="flex flex-col">
            <span className="flex items-center gap-1.5 font-medium whitespace-nowrap">
              {row.original.user.name}
              {row.original.user.active ? null : <Badge tone="red">Deactivated</Badge>}
            </span>
            <span className="text-xs text-muted">{row.original.user.email}</span>
          </span>
        ),
      });
    }
    cols.push(
      {
        id: "agent",
        header: "Agent",
        enableHiding: false,
        cell: ({ row }) => (
          <span className="flex flex-wrap items-center gap-1.5 whitespace-nowrap">
            {everyone ? (
              <Link
                href={`/${tenantSlug}/agents/${row.original.agent.id}`}
                className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
              >
                {row.original.agent.name}
              </Link>
            ) : (
              <span className="font-medium">{row.original.agent.name}</span>
            )}
            {row.original.agent.status !== "active" ? <Badge tone="amber">{row.original.agent.status}</Badge> : null}
            {row.original.agent.consentWithdrawn ? <Badge tone="red">Consent withdrawn</Badge> : null}
          </span>
        ),
      },
      {
        id: "scopes",
        header: "Scopes",
        cell: ({ row }) => (
          <span className="flex max-w-xs flex-wrap gap-1">
            {row.original.scopes.map((s) => (
              <code
                key={s.name}
                title={s.risk ? `${s.risk} risk` : "no longer in the catalog"}
                className={
                  s.risk === "high"
                    ? "rounded bg-red-50 px-1.5 py-0.5 text-xs text-red-800 dark:bg-red-950 dark:text-red-200"
                    : s.risk === "medium"
                      ? "rounded bg-amber-50 px-1.5 py-0.5 text-xs text-amber-800 dark:bg-amber-950 dark:text-amber-200"
                      : "rounded bg-slate-100 px-1.5 py-0.5 text-xs dark:bg-slate-800"
                }
              >
                {s.name}
              </code>
            ))}
          </span>
        ),
      },
      {
        id: "risk",
        header: "Risk",
        cell: ({ row }) => (row.original.risk ? <RiskBadge risk={row.original.risk} /> : "—"),
      },
      {
        id: "created",
        header: "Granted",
        meta: { sortKey: "created_at" },
        cell: ({ row }) => (
          <span
            className="whitespace-nowrap text-slate-600 dark:text-slate-400"
            title={formatUtc(row.original.createdAt)}
          >
            {formatDate(row.original.createdAt)}
          </span>
        ),
      },
      {
        id: "last_used",
        header: "Last used",
        cell: ({ row }) => (
          <span
            className="whitespace-nowrap text-slate-600 dark:text-slate-400"
            title={row.original.lastUsedAt ? formatUtc(row.original.lastUsedAt) : undefined}
          >
            {formatAgo(row.original.lastUsedAt, now)}
          </span>
        ),
      },
      {
        id: "live_tokens",
        header: "Live tokens",
        meta: { headerClassName: "text-right" },
        // Those who read the whole tenant (and so its agents) follow a grant to its tokens and their chains.
        cell: ({ row }) =>
          everyone && row.original.liveTokens > 0 ? (
            <Link
              href={`/${tenantSlug}/agents/${row.original.agent.id}/tokens?grant=${row.original.id}`}
              aria-label={`${row.original.liveTokens} live tokens of ${row.original.agent.name}'s grant: tokens and chains`}
              className="block text-right text-indigo-700 tabular-nums hover:underline dark:text-indigo-300"
            >
              {row.original.liveTokens}
            </Link>
          ) : (
            <span className="block text-right tabular-nums">{row.original.liveTokens}</span>
          ),
      },
      {
        id: "status",
        header: "Status",
        enableHiding: false,
        cell: ({ row }) =>
          row.original.status === "revoked" ? (
            <span title={row.original.revokedReason ?? undefined} className="flex flex-col items-start gap-0.5">
              <Badge tone="gray">Revoked</Badge>
              <span className="text-xs text-muted">{formatDate(row.original.revokedAt)}</span>
            </span>
          ) : revocableBy(row.original, me, canRevokeAny, canRevokeOwn) ? (
            <Button
              variant="secondary"
              className="px-2.5 py-1.5"
              onClick={() =>
                setPending({
                  target: { kind: "grants", grant_ids: [row.original.id] },
                  title: `Revoke ${row.original.agent.name}'s grant${everyone ? ` from ${row.original.user.name}` : ""}?`,
                  confirmLabel: "Revoke grant",
                  run: async (reason) => {
                    const r = await revokeGrantAction(row.original.id, reason);
                    return r.ok ? { ok: true, message: done(r.data) } : r;
                  },
                })
              }
            >
              Revoke
            </Button>
          ) : (
            <Badge tone="green">Active</Badge>
          ),
      },
    );
    return cols;
  }, [tenantSlug, everyone, canRevokeAny, canRevokeOwn, me, now]);

  const filters: FilterDef[] = [
    {
      param: "status",
      label: "Status",
      emptyLabel: "Active",
      options: [
        { value: "revoked", label: "Revoked" },
        { value: "all", label: "Active and revoked" },
      ],
    },
    ...(everyone
      ? [
          {
            param: "user",
            label: "User",
            options: choices.users.map((u) => ({ value: u.id, label: u.name })),
          },
        ]
      : []),
    { param: "agent", label: "Agent", options: choices.agents.map((a) => ({ value: a.id, label: a.name })) },
    { param: "scope", label: "Scope", options: choices.scopes.map((s) => ({ value: s, label: s })) },
    { param: "risk", label: "Risk", options: RISKS.map((r) => ({ value: r, label: `Holds ${r} risk` })) },
  ];

  const canBulk = canRevokeAny || canRevokeOwn;

  return (
    <>
      {notice ? (
        <p role="status" className="mb-3 rounded-md bg-slate-100 px-4 py-2 text-sm dark:bg-slate-800">
          {notice}
        </p>
      ) : null}
      {filteredUser && canRevokeAny ? (
        <div className="mb-3 flex flex-wrap items-center justify-between gap-3 rounded-md border border-slate-200 px-4 py-3 text-sm dark:border-slate-800">
          <span>
            Showing grants {filteredUser.name} gave. Offboarding? Revoke every one of them in the tenants you manage.
          </span>
          <Button
            variant="danger"
            onClick={() =>
              setPending({
                target: { kind: "user", user: filteredUser.id },
                title: `Revoke every grant ${filteredUser.name} gave?`,
                confirmLabel: "Revoke all",
                run: async (reason) => {
                  const r = await revokeUserGrantsAction(filteredUser.id, reason);
                  return r.ok ? { ok: true, message: done(r.data) } : r;
                },
              })
            }
          >
            <UserMinus className="size-4" aria-hidden /> Revoke all of {filteredUser.name}'s grants
          </Button>
        </div>
      ) : null}
      <DataTable
        label={everyone ? "Grants" : "My connected agents"}
        columns={columns}
        page={page}
        filters={filters}
        searchPlaceholder={everyone ? "Search people or agents" : "Search agents"}
        bulkActions={
          canBulk
            ? (selected, clear) => {
                const ids = selected.filter(revocable).map((r) => r.id);
                return (
                  <Button
                    variant="danger"
                    disabled={ids.length === 0}
                    onClick={() =>
                      setPending({
                        target: { kind: "grants", grant_ids: ids },
                        title: `Revoke ${plural(ids.length, "grant", "grants")}?`,
                        confirmLabel: "Revoke selected",
                        clear,
                        run: async (reason) => {
                          const r = await revokeGrantsAction(ids, reason);
                          return r.ok ? { ok: true, message: done(r.data) } : r;
                        },
                      })
                    }
                  >
                    Revoke selected
                  </Button>
                );
              }
            : undefined
        }
        empty={{
          icon: KeyRound,
          message:
            emptyText ??
            (everyone
              ? "No one has connected an agent in this tenant yet."
              : "You have not connected any agents. When you consent to an agent acting for you, it appears here."),
        }}
      />
      <RevokeDialog
        target={pending?.target ?? null}
        title={pending?.title ?? ""}
        confirmLabel={pending?.confirmLabel ?? "Revoke"}
        warning="Their tokens stop working on the very next request. The agent must ask for consent again."
        onClose={() => setPending(null)}
        onConfirm={async (reason) => {
          if (!pending) return null;
          const result = await pending.run(reason);
          if (!result.ok) return result.error;
          setNotice(result.message);
          pending.clear?.();
          router.refresh();
          return null;
        }}
      />
    </>
  );
}
