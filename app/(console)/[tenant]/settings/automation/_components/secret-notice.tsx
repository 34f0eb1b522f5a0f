"use client";

import { Check, Copy, TriangleAlert } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";

/** A new client's secret, shown once, with the token request to use it in. */
export function SecretNotice({
  clientId,
  secret,
  tokenEndpoint,
  apiBase,
  onDone,
}: {
  clientId: string;
  secret: string;
  tokenEndpoint: string;
  apiBase: string;
  onDone: () => void;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <div
      role="status"
      data-testid="new-client-secret"
      className="rounded-md border border-amber-300 bg-amber-50 p-4 text-sm dark:border-amber-800 dark:bg-amber-950"
    >
      <p className="flex items-center gap-2 font-medium text-amber-900 dark:text-amber-100">
        <TriangleAlert className="size-4 shrink-0" aria-hidden />
        Copy the secret of {clientId} now. Mandate stores only its hash and will never show it again.
      </p>
      <div className="mt-3 flex items-center gap-2">
        <code
          className="min-w-0 flex-1 truncate rounded bg-white px-2 py-1.5 font-mono text-xs ring-1 ring-amber-200 dark:bg-slate-900 dark:ring-amber-900"
          data-testid="client-secret-value"
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
          {copied ? <Check className="size-4" aria-hidden /> : <Copy className="size-4" aria-hidden />}
          {copied ? "Copied" : "Copy secret"}
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Done
        </Button>
      </div>
      <div className="mt-4 space-y-2 text-amber-950 dark:text-amber-50">
        <p>
          Get a token from <code className="font-mono text-xs">{tokenEndpoint}</code> with the{" "}
          <code className="font-mono text-xs">client_credentials</code> grant, sending the client id and secret with
          HTTP Basic authentication (<code className="font-mono text-xs">client_secret_basic</code>):
        </p>
        <pre className="overflow-x-auto rounded bg-slate-900 px-3 py-2 font-mono text-xs text-slate-100 dark:bg-black">
          {`curl -u "${clientId}:$MANDATE_CLIENT_SECRET" \\\n  -d grant_type=client_credentials \\\n  ${tokenEndpoint}`}
        </pre>
        <p>
          Then call the admin API under <code className="font-mono text-xs">{apiBase}</code> with{" "}
          <code className="font-mono text-xs">Authorization: Bearer &lt;access_token&gt;</code>.
        </p>
      </div>
    </div>
  );
}
