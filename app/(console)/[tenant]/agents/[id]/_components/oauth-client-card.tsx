import { Card } from "@/components/ui/card";
import { formatDuration } from "@/lib/durations";

/** How the agent reaches the authorization server: its client id, where to ask, and for how long tokens last. */
export function OAuthClientCard({
  clientId,
  tokenEndpoint,
  redirectUris,
  tokenTtlSeconds,
}: {
  clientId: string;
  tokenEndpoint: string;
  redirectUris: string[];
  tokenTtlSeconds: number;
}) {
  return (
    <Card>
      <h2 className="mb-3 text-sm font-semibold">OAuth client</h2>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-3" aria-label="OAuth client">
        <div>
          <dt className="text-muted">Client id</dt>
          <dd>
            <code className="font-mono text-xs break-all" data-testid="client-id">
              {clientId}
            </code>
          </dd>
        </div>
        <div>
          <dt className="text-muted">Token endpoint</dt>
          <dd>
            <code className="font-mono text-xs break-all">{tokenEndpoint}</code>
          </dd>
        </div>
        <div>
          <dt className="text-muted">Access-token lifetime</dt>
          <dd data-testid="token-ttl">
            {formatDuration(tokenTtlSeconds)}{" "}
            <span className="text-muted">({tokenTtlSeconds.toLocaleString("en")} s)</span>
          </dd>
        </div>
        <div className="sm:col-span-3">
          <dt className="text-muted">Redirect URIs</dt>
          <dd>
            {redirectUris.length === 0 ? (
              <span className="text-slate-600 dark:text-slate-400">
                None: the agent uses client credentials only, and cannot ask people to let it act for them.
              </span>
            ) : (
              <ul className="mt-0.5 space-y-0.5" aria-label="Redirect URIs">
                {redirectUris.map((uri) => (
                  <li key={uri}>
                    <code className="font-mono text-xs break-all">{uri}</code>
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>
    </Card>
  );
}
