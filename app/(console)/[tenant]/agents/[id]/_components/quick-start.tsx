import { Card } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { resourceTypesFor } from "@/lib/resource-types-for-action";

function Row({ label, value }: { label: string; value: string }) {
  return (
    <div className="flex flex-wrap items-center gap-2">
      <dt className="w-32 text-muted">{label}</dt>
      <dd className="flex min-w-0 flex-1 items-center gap-2">
        <code className="min-w-0 truncate font-mono text-xs">{value}</code>
        <CopyButton value={value} label={`Copy ${label.toLowerCase()}`} size="sm" />
      </dd>
    </div>
  );
}

/**
 * How this agent gets a token and asks for a decision, ready to paste: its client id, the token
 * endpoint, and curl commands with its own scopes (a token without scopes is denied everything).
 */
export function QuickStart({
  clientId,
  tokenEndpoint,
  decisionsUrl,
  scopes,
}: {
  clientId: string;
  tokenEndpoint: string;
  decisionsUrl: string;
  scopes: string[];
}) {
  const scope = scopes.join(" ");
  const token = [
    `TOKEN=$(curl -s -u "${clientId}:$CLIENT_SECRET" \\`,
    "  -d grant_type=client_credentials \\",
    ...(scope ? [`  -d scope="${scope}" \\`] : []),
    `  ${tokenEndpoint} | jq -r .access_token)`,
  ].join("\n");
  const action = scopes[0] ?? "documents.read";
  // A resource type that fits the action (payments.create → Payment), as the simulator proposes.
  const fits = resourceTypesFor(action);
  const type = fits.suggested[0] ?? fits.others[0] ?? "Document";
  const decision = [
    `curl -s -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \\`,
    `  -d '{"action":"${action}","resource":{"type":"${type}","id":"r-1"},"context":{}}' \\`,
    `  ${decisionsUrl}`,
  ].join("\n");
  return (
    <Card>
      <h2 className="mb-1 text-sm font-semibold">Quick start</h2>
      <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
        Issue a client secret below (it is shown once), then ask for a token with the agent's scopes and a decision
        before each action.
      </p>
      <dl className="space-y-2 text-sm">
        <Row label="Client id" value={clientId} />
        <Row label="Token endpoint" value={tokenEndpoint} />
      </dl>
      <div className="mt-4 space-y-3">
        {[
          ["A token with the agent's scopes", token],
          ["A decision before acting", decision],
        ].map(([title, command]) => (
          <div key={title}>
            <div className="mb-1 flex items-center justify-between gap-2">
              <h3 className="text-xs font-medium text-slate-600 dark:text-slate-400">{title}</h3>
              <CopyButton value={command} label="Copy command" size="sm" />
            </div>
            <pre className="overflow-x-auto rounded-md bg-slate-900 px-3 py-2 font-mono text-xs text-slate-100 dark:bg-black">
              {command}
            </pre>
          </div>
        ))}
        {scopes.length === 0 ? (
          <p className="text-sm text-amber-800 dark:text-amber-300">
            This agent has no scopes yet: give it a role on the Access tab, or every decision is denied.
          </p>
        ) : null}
      </div>
    </Card>
  );
}
