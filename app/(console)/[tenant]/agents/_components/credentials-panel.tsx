"use client";

import { Copy, KeyRound } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { formatUtc as when } from "@/lib/format";
import type { AgentDetail } from "@/server/agents/get-agent";
import { createCredentialAction, revokeCredentialAction } from "../actions";

type CredentialView = AgentDetail["credentials"][number];

const TYPE = { client_secret: "Client secret", jwk: "Public key (JWK)", jwks_url: "JWKS URL" } as const;

/** Credentials: add (a secret is shown once, here), rotate with overlap, revoke with a reason. */
export function CredentialsPanel({
  agentId,
  credentials,
  canWrite,
}: {
  agentId: string;
  credentials: CredentialView[];
  canWrite: boolean;
}) {
  const router = useRouter();
  const [secret, setSecret] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [keyForm, setKeyForm] = useState(false);
  const [keyText, setKeyText] = useState("");
  const [revoking, setRevoking] = useState<CredentialView | null>(null);
  const [expiry, setExpiry] = useState("");

  async function addSecret() {
    setError(null);
    const r = await createCredentialAction(agentId, {
      type: "client_secret",
      label: `secret ${credentials.length + 1}`,
      expires_at: expiry ? `${expiry}T23:59:59Z` : null,
    });
    if (!r.ok) return setError(Object.values(r.fieldErrors ?? {})[0]?.[0] ?? r.error);
    setSecret(r.data.secret);
    setCopied(false);
    setExpiry("");
    router.refresh();
  }

  async function addKey() {
    setError(null);
    const text = keyText.trim();
    let input: Record<string, unknown>;
    if (text.startsWith("https://") || text.startsWith("http://")) input = { type: "jwk", jwks_url: text };
    else {
      try {
        input = { type: "jwk", jwk: JSON.parse(text) };
      } catch {
        return setError("Paste a public JWK as JSON, or a JWKS https:// URL.");
      }
    }
    const r = await createCredentialAction(agentId, input);
    if (!r.ok) return setError(Object.values(r.fieldErrors ?? {})[0]?.[0] ?? r.error);
    setKeyForm(false);
    setKeyText("");
    router.refresh();
  }

  return (
    <section
      aria-labelledby="credentials-title"
      className="rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-5 py-3 dark:border-slate-800">
        <h2 id="credentials-title" className="text-sm font-semibold">
          Credentials
        </h2>
        {canWrite ? (
          <div className="flex gap-2">
            <Button variant="secondary" onClick={() => setKeyForm((v) => !v)}>
              Add public key
            </Button>
            <label className="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-400">
              Expires (optional)
              <input
                type="date"
                value={expiry}
                onChange={(e) => setExpiry(e.target.value)}
                className="rounded-md bg-white px-2 py-1.5 text-sm ring-1 ring-slate-300 dark:bg-slate-950 dark:ring-slate-700"
              />
            </label>
            <Button onClick={addSecret}>New client secret</Button>
          </div>
        ) : null}
      </div>
      {error ? (
        <p
          role="alert"
          className="mx-5 mt-3 rounded-md bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
        >
          {error}
        </p>
      ) : null}
      {secret ? (
        <div
          className="mx-5 mt-3 rounded-md border border-amber-300 bg-amber-50 p-4 text-sm dark:border-amber-800 dark:bg-amber-950"
          data-testid="new-secret"
        >
          <p className="font-medium text-amber-900 dark:text-amber-100">
            Copy this secret now. Mandate stores only its hash and will never show it again.
          </p>
          <div className="mt-2 flex items-center gap-2">
            <code
              className="flex-1 truncate rounded bg-white px-2 py-1 font-mono text-xs dark:bg-slate-900"
              data-testid="secret-value"
            >
              {secret}
            </code>
            <Button
              variant="secondary"
              onClick={async () => {
                await navigator.clipboard?.writeText(secret).catch(() => {});
                setCopied(true);
              }}
            >
              <Copy className="size-4" aria-hidden /> {copied ? "Copied" : "Copy"}
            </Button>
            <Button variant="ghost" onClick={() => setSecret(null)}>
              Done
            </Button>
          </div>
        </div>
      ) : null}
      {keyForm ? (
        <div className="mx-5 mt-3 space-y-2">
          <label htmlFor="public-key" className="block text-sm font-medium">
            Public JWK (JSON) or JWKS URL
          </label>
          <textarea
            id="public-key"
            rows={4}
            value={keyText}
            onChange={(e) => setKeyText(e.target.value)}
            className="block w-full rounded-md bg-white px-3 py-2 font-mono text-xs ring-1 ring-slate-300 dark:bg-slate-950 dark:ring-slate-700"
          />
          <Button onClick={addKey}>Add key</Button>
        </div>
      ) : null}
      {credentials.length === 0 ? (
        <div className="flex flex-col items-center gap-2 px-5 py-10 text-sm text-muted">
          <KeyRound className="size-5" aria-hidden />
          No credentials yet. The agent cannot authenticate until it has one.
        </div>
      ) : (
        <table className="mt-2 w-full text-left text-sm" aria-label="Credentials">
          <thead className="text-xs text-muted uppercase">
            <tr>
              <th className="px-5 py-2 font-medium">Credential</th>
              <th className="px-5 py-2 font-medium">State</th>
              <th className="px-5 py-2 font-medium">Created</th>
              <th className="px-5 py-2 font-medium">Last used</th>
              <th className="px-5 py-2 font-medium">Expires</th>
              <th className="px-5 py-2" />
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {credentials.map((c) => (
              <tr key={c.id} data-testid="credential-row">
                <td className="px-5 py-2.5">
                  <p className="font-medium">{TYPE[c.type]}</p>
                  <p className="font-mono text-xs text-muted">{c.hint}</p>
                </td>
                <td className="px-5 py-2.5">
                  {c.revokedAt ? (
                    <span title={c.revokedReason ?? ""}>
                      <Badge tone="gray">Revoked</Badge>
                    </span>
                  ) : c.live ? (
                    <Badge tone="green">Live</Badge>
                  ) : (
                    <Badge tone="amber">Expired</Badge>
                  )}
                </td>
                <td className="px-5 py-2.5 text-slate-600 dark:text-slate-400">
                  {when(c.createdAt)}
                  <br />
                  <span className="text-xs">by {c.createdBy}</span>
                </td>
                <td className="px-5 py-2.5 text-slate-600 dark:text-slate-400">{when(c.lastUsedAt)}</td>
                <td className="px-5 py-2.5 text-slate-600 dark:text-slate-400">
                  {c.expiresAt ? when(c.expiresAt) : "Never"}
                </td>
                <td className="px-5 py-2.5 text-right">
                  {canWrite && !c.revokedAt ? (
                    <Button variant="ghost" onClick={() => setRevoking(c)}>
                      Revoke
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ConfirmDialog
        open={!!revoking}
        title="Revoke this credential?"
        description={`${revoking ? TYPE[revoking.type] : ""} ${revoking?.hint ?? ""} stops working at once.`}
        confirmLabel="Revoke"
        tone="danger"
        onClose={() => setRevoking(null)}
        onConfirm={async (reason) => {
          if (!revoking) return null;
          const r = await revokeCredentialAction(agentId, revoking.id, reason);
          if (!r.ok) return r.error;
          router.refresh();
          return null;
        }}
      />
    </section>
  );
}
