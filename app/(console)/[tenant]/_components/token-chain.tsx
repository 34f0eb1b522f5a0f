"use client";

import { CornerDownRight, Link2 } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ImpactConfirmDialog } from "@/components/ui/impact-confirm-dialog";
import { Modal } from "@/components/ui/modal";
import { formatRelative } from "@/lib/durations";
import { formatUtc } from "@/lib/format";
import type { ChainNode, ChainStatus, TokenChain } from "@/server/oauth/tokens";
import { revokeChainTokenAction, tokenChainAction, tokenRevocationImpactAction } from "./token-chain-actions";

const STATUS: Record<ChainStatus, { label: string; tone: "green" | "gray" | "amber" | "red" }> = {
  live: { label: "Live", tone: "green" },
  revoked: { label: "Revoked", tone: "red" },
  expired: { label: "Expired", tone: "gray" },
  inactive: { label: "Inactive", tone: "amber" },
};

const count = (n: number, one: string, many: string) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

/** The sentence a revocation states first: what goes with the token, counted by the server just now. */
export function describeTokenImpact({ tokens, people }: { tokens: number; people: number }): string {
  const who = people ? `, acting for ${count(people, "person", "people")}` : "";
  if (!tokens) return `Revokes this token only: nothing live was exchanged from it${who}.`;
  return `Revokes this token and ${count(tokens, "token", "tokens")} exchanged from it${who}.`;
}

/**
 * A token's delegation chain in a dialog: the origin, then each hop below it (indented by depth),
 * with the agent that held it, the scopes it kept (those its parent had and it dropped struck
 * through), its expiry and status, and a Revoke at each node that says what goes with it first.
 */
export function TokenChainDialog({
  tokenId,
  tenantSlug,
  onClose,
}: {
  /** null: closed. */
  tokenId: string | null;
  tenantSlug: string;
  onClose: () => void;
}) {
  const router = useRouter();
  const [state, setState] = useState<
    { kind: "loading" } | { kind: "error"; message: string } | { kind: "ready"; chain: TokenChain }
  >({ kind: "loading" });
  const [revoking, setRevoking] = useState<ChainNode | null>(null);

  const load = useCallback(async (id: string) => {
    setState({ kind: "loading" });
    const result = await tokenChainAction(id);
    setState(result.ok ? { kind: "ready", chain: result.data } : { kind: "error", message: result.error });
  }, []);

  useEffect(() => {
    if (tokenId) void load(tokenId);
  }, [tokenId, load]);

  // The confirmation is the chain dialog's sibling, not its child: React bubbles a <dialog>'s close
  // event through its ancestors, so closing a nested one would close the chain too.
  return (
    <>
      <Modal open={!!tokenId} title="Delegation chain" onClose={onClose} wide>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Each hop is a token exchanged from the one above it. Scopes only narrow down the chain; revoking a token
          revokes every token below it.
        </p>
        {state.kind === "loading" ? (
          <div aria-busy="true" aria-live="polite" className="space-y-2">
            <span className="sr-only">Loading the chain…</span>
            {[0, 1, 2].map((i) => (
              <div key={i} className="h-16 animate-pulse rounded-lg bg-slate-100 dark:bg-slate-800" />
            ))}
          </div>
        ) : state.kind === "error" ? (
          <div
            role="alert"
            className="space-y-2 rounded-lg bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
          >
            <p>The chain could not be loaded: {state.message}</p>
            {tokenId ? (
              <Button variant="secondary" onClick={() => load(tokenId)}>
                Try again
              </Button>
            ) : null}
          </div>
        ) : (
          <ChainList chain={state.chain} tenantSlug={tenantSlug} onRevoke={setRevoking} />
        )}
        <div className="flex justify-end">
          <Button variant="secondary" onClick={onClose}>
            Close
          </Button>
        </div>
      </Modal>
      <RevokeNodeDialog
        node={revoking}
        onClose={() => setRevoking(null)}
        onRevoked={() => {
          if (tokenId) void load(tokenId);
          router.refresh();
        }}
      />
    </>
  );
}

function ChainList({
  chain,
  tenantSlug,
  onRevoke,
}: {
  chain: TokenChain;
  tenantSlug: string;
  onRevoke: (node: ChainNode) => void;
}) {
  const now = new Date();
  const byId = new Map(chain.nodes.map((n) => [n.id, n]));
  const top = Math.min(...chain.nodes.map((n) => n.depth));
  return (
    <div className="space-y-2">
      {chain.nodes.length === 1 ? (
        <p className="rounded-lg bg-slate-50 px-3 py-2 text-sm text-muted dark:bg-slate-800/50">
          This token was not exchanged, and no token was exchanged from it: its chain is itself.
        </p>
      ) : null}
      <ol aria-label="Tokens in the chain, origin first" className="space-y-2">
        {chain.nodes.map((node) => {
          const parent = node.parentId ? byId.get(node.parentId) : undefined;
          const dropped = parent ? parent.scopes.filter((s) => !node.scopes.includes(s)) : [];
          const status = STATUS[node.status];
          const indent = Math.min(node.depth - top, 4);
          return (
            <li
              key={node.id}
              data-testid="chain-node"
              aria-current={node.id === chain.tokenId ? "true" : undefined}
              style={{ marginLeft: `${indent * 1.25}rem` }}
              className={`rounded-lg border p-3 text-sm ${
                node.id === chain.tokenId
                  ? "border-indigo-300 bg-indigo-50/50 dark:border-indigo-800 dark:bg-indigo-950/30"
                  : "border-slate-200 dark:border-slate-800"
              }`}
            >
              <div className="flex flex-wrap items-center justify-between gap-2">
                <p className="flex items-center gap-1.5">
                  {node.depth === 0 ? (
                    <Link2 className="size-4 text-slate-500" aria-hidden />
                  ) : (
                    <CornerDownRight className="size-4 text-slate-500" aria-hidden />
                  )}
                  <span className="text-xs text-muted">{node.depth === 0 ? "Origin" : `Hop ${node.depth}`}</span>
                  {node.agent ? (
                    <Link
                      href={`/${tenantSlug}/agents/${node.agent.id}`}
                      className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
                    >
                      {node.agent.name}
                    </Link>
                  ) : (
                    <span className="font-medium">Automation client</span>
                  )}
                  {node.id === chain.tokenId ? <span className="text-xs text-muted">(this token)</span> : null}
                </p>
                <span className="flex items-center gap-2">
                  <span title={node.revokedReason ?? undefined}>
                    <Badge tone={status.tone}>{status.label}</Badge>
                  </span>
                  {node.canRevoke && node.status === "live" ? (
                    <Button
                      variant="ghost"
                      className="px-2 py-1"
                      aria-label={`Revoke ${node.agent?.name ?? "the"} token${node.depth ? ` at hop ${node.depth}` : " at the origin"}`}
                      onClick={() => onRevoke(node)}
                    >
                      Revoke
                    </Button>
                  ) : null}
                </span>
              </div>
              <p className="mt-2 flex flex-wrap items-center gap-1" data-testid="chain-scopes">
                <span className="sr-only">Scopes:</span>
                {node.scopes.length === 0 ? <span className="text-muted">No scopes</span> : null}
                {node.scopes.map((s) => (
                  <code key={s} className="rounded bg-slate-100 px-1.5 py-0.5 text-xs dark:bg-slate-800">
                    {s}
                  </code>
                ))}
                {dropped.map((s) => (
                  <del
                    key={s}
                    title="Dropped at this hop"
                    className="rounded px-1.5 py-0.5 font-mono text-xs text-muted ring-1 ring-slate-200 ring-inset dark:ring-slate-700"
                  >
                    <span className="sr-only">dropped: </span>
                    {s}
                  </del>
                ))}
              </p>
              <p className="mt-1 text-xs text-muted">
                {node.status === "revoked" ? (
                  <>Revoked{node.revokedReason ? `: ${node.revokedReason}` : ""}</>
                ) : (
                  <span title={formatUtc(node.expiresAt)}>
                    {node.expiresAt > now ? "Expires" : "Expired"} {formatRelative(node.expiresAt, now)}
                  </span>
                )}
              </p>
            </li>
          );
        })}
      </ol>
      {chain.truncated ? (
        <p className="text-sm text-muted">
          More tokens were exchanged below this one than are listed here; revoking it revokes them all (the impact
          counts every one).
        </p>
      ) : null}
    </div>
  );
}

function RevokeNodeDialog({
  node,
  onClose,
  onRevoked,
}: {
  node: ChainNode | null;
  onClose: () => void;
  onRevoked: () => void;
}) {
  return (
    <ImpactConfirmDialog
      target={node?.id ?? null}
      preview={async (id) => {
        const result = await tokenRevocationImpactAction(id);
        return result.ok ? { ok: true, data: describeTokenImpact(result.data) } : result;
      }}
      title={`Revoke ${node?.agent?.name ?? "this"}'s token?`}
      confirmLabel="Revoke token"
      onClose={onClose}
      onConfirm={async (reason) => {
        if (!node) return null;
        const r = await revokeChainTokenAction(node.id, reason);
        if (!r.ok) return r.fieldErrors?.reason?.[0] ?? r.error;
        onRevoked();
        return null;
      }}
    />
  );
}
