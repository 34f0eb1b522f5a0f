"use client";

import { ChevronLeft, ChevronRight, Ticket } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type ReactNode, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { formatDuration, formatRelative } from "@/lib/durations";
import { formatUtc as when } from "@/lib/format";
import type { OffsetPage } from "@/lib/schemas/pagination";
import type { TokenRow } from "@/server/oauth/tokens";
import { TokenChainDialog } from "../../../_components/token-chain";
import { revokeTokenAction } from "../actions";

const KIND: Record<string, string> = { access_token: "Access token", refresh_token: "Refresh token" };

/** The agent's live tokens, newest first: what it can use right now, and a one-click revoke. */
export function TokensPanel({
  page: list,
  pageHref,
  now,
  ttlSeconds,
  canRevoke,
  canReadChains,
  tenantSlug,
  grantId,
}: {
  page: OffsetPage<TokenRow>;
  /** The agent page's URL; pages of tokens add ?tokens_page=N to it. */
  pageHref: string;
  now: Date;
  ttlSeconds: number;
  canRevoke: boolean;
  /** Whether the caller may read chains (agents.read in the tenant; an agent's owner alone may not). */
  canReadChains: boolean;
  tenantSlug: string;
  /** The tokens of one grant only (from a grant's live tokens), or null. */
  grantId: string | null;
}) {
  const router = useRouter();
  const [revoking, setRevoking] = useState<TokenRow | null>(null);
  const [chainOf, setChainOf] = useState<string | null>(null);
  const hasChain = (t: TokenRow) => canReadChains && (t.depth > 0 || t.hasBelow);
  const { rows, total, page, pageSize } = list;
  const actions = canRevoke || rows.some(hasChain);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  const base = grantId ? `${pageHref}?grant=${encodeURIComponent(grantId)}` : pageHref;
  const href = (n: number) => (n <= 1 ? base : `${base}${grantId ? "&" : "?"}tokens_page=${n}`);

  return (
    <section
      id="tokens"
      aria-labelledby="tokens-title"
      className="rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-5 py-3 dark:border-slate-800">
        <h2 id="tokens-title" className="text-sm font-semibold">
          Live tokens <span className="font-normal text-muted">({total.toLocaleString("en")})</span>
        </h2>
        <p className="text-xs text-muted">Token values are never stored: only what they carry.</p>
      </div>
      {grantId ? (
        <p className="border-b border-slate-200 bg-slate-50 px-5 py-2 text-sm dark:border-slate-800 dark:bg-slate-800/50">
          Showing the tokens of one grant.{" "}
          <Link href={pageHref} className="text-indigo-600 hover:underline dark:text-indigo-400">
            Show all of the agent's tokens
          </Link>
        </p>
      ) : null}
      {rows.length === 0 && total > 0 ? (
        <p className="px-5 py-10 text-center text-sm text-muted">
          No tokens on this page any more.{" "}
          <Link href={pageHref} className="text-indigo-600 hover:underline dark:text-indigo-400">
            Back to the first page
          </Link>
        </p>
      ) : rows.length === 0 ? (
        <div className="flex flex-col items-center gap-1 px-5 py-10 text-center text-sm">
          <Ticket className="mb-1 size-5 text-slate-400" aria-hidden />
          <p className="font-medium">No live tokens</p>
          <p className="max-w-md text-muted">
            Tokens appear here when the agent authenticates at the token endpoint, or when someone lets it act for them.
            Its access tokens last {formatDuration(ttlSeconds)}.
          </p>
        </div>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm" aria-label="Live tokens">
            <thead className="text-xs text-muted uppercase">
              <tr>
                <th scope="col" className="py-2 pr-3 pl-5 font-medium">
                  Token
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  For
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Scopes
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Audience
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Issued
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Expires
                </th>
                {actions ? (
                  <th scope="col" className="py-2 pr-5 pl-3">
                    <span className="sr-only">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {rows.map((t) => (
                <tr key={t.id} data-testid="token-row">
                  <td className="py-2.5 pr-3 pl-5 whitespace-nowrap">
                    <p className="font-medium">{KIND[t.kind] ?? t.kind}</p>
                    <p className="text-xs text-muted">
                      {t.depth > 0
                        ? `Exchanged · hop ${t.depth}`
                        : t.grantType === "client_credentials"
                          ? "Client credentials"
                          : "Delegated"}
                    </p>
                  </td>
                  <td className="px-3 py-2.5 whitespace-nowrap">
                    {t.subject ? (
                      <span title={t.subject.name}>{t.subject.email}</span>
                    ) : (
                      <span className="text-slate-600 dark:text-slate-400">The agent itself</span>
                    )}
                  </td>
                  <td className="px-3 py-2.5">
                    {t.scopes.length === 0 ? (
                      <span className="text-muted">None</span>
                    ) : (
                      <span className="flex flex-wrap gap-1">
                        {t.scopes.map((s) => (
                          <code key={s} className="rounded bg-slate-100 px-1.5 py-0.5 text-xs dark:bg-slate-800">
                            {s}
                          </code>
                        ))}
                      </span>
                    )}
                  </td>
                  <td className="px-3 py-2.5">
                    <code className="block max-w-64 font-mono text-xs break-all text-slate-600 dark:text-slate-400">
                      {t.audience ?? "—"}
                    </code>
                  </td>
                  <td className="px-3 py-2.5 whitespace-nowrap text-slate-600 dark:text-slate-400">
                    {when(t.createdAt).slice(0, 10)}
                    <span className="block text-xs text-muted">{when(t.createdAt).slice(11)}</span>
                  </td>
                  <td className="px-3 py-2.5 whitespace-nowrap" title={when(t.expiresAt)}>
                    <Badge tone="green">{formatRelative(t.expiresAt, now)}</Badge>
                  </td>
                  {actions ? (
                    <td className="py-2.5 pr-5 pl-3 text-right whitespace-nowrap">
                      {hasChain(t) ? (
                        <Button variant="ghost" onClick={() => setChainOf(t.id)}>
                          Chain
                        </Button>
                      ) : null}
                      {canRevoke ? (
                        <Button variant="ghost" onClick={() => setRevoking(t)}>
                          Revoke
                        </Button>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages > 1 ? (
        <nav
          aria-label="Token pages"
          className="flex items-center justify-between gap-3 border-t border-slate-200 px-5 py-2 text-sm text-slate-600 dark:border-slate-800 dark:text-slate-400"
        >
          <p>
            {first.toLocaleString("en")}–{last.toLocaleString("en")} of {total.toLocaleString("en")}
          </p>
          <div className="flex items-center gap-2">
            <PageLink href={href(page - 1)} disabled={page <= 1} label="Previous tokens">
              <ChevronLeft className="size-4" aria-hidden />
            </PageLink>
            <span>
              Page {page} of {pages}
            </span>
            <PageLink href={href(page + 1)} disabled={page >= pages} label="Next tokens">
              <ChevronRight className="size-4" aria-hidden />
            </PageLink>
          </div>
        </nav>
      ) : null}
      <TokenChainDialog tokenId={chainOf} tenantSlug={tenantSlug} onClose={() => setChainOf(null)} />
      <ConfirmDialog
        open={!!revoking}
        title="Revoke this token?"
        description={
          revoking
            ? `The ${KIND[revoking.kind]?.toLowerCase() ?? "token"} ${
                revoking.subject ? `for ${revoking.subject.email}` : "the agent holds for itself"
              } stops working at once. The agent can get a new one while it has a live credential: suspend the agent to stop that.`
            : ""
        }
        confirmLabel="Revoke token"
        tone="danger"
        onClose={() => setRevoking(null)}
        onConfirm={async (reason) => {
          if (!revoking) return null;
          const r = await revokeTokenAction(revoking.id, reason);
          if (!r.ok) return r.fieldErrors?.reason?.[0] ?? r.error;
          router.refresh();
          return null;
        }}
      />
    </section>
  );
}

function PageLink({
  href,
  disabled,
  label,
  children,
}: {
  href: string;
  disabled: boolean;
  label: string;
  children: ReactNode;
}) {
  const cls = "rounded-md p-1.5 ring-1 ring-slate-300 dark:ring-slate-700";
  if (disabled)
    return (
      <span aria-hidden="true" className={`${cls} opacity-40`}>
        {children}
      </span>
    );
  return (
    <Link href={href} scroll={false} aria-label={label} className={`${cls} hover:bg-slate-50 dark:hover:bg-slate-800`}>
      {children}
    </Link>
  );
}
