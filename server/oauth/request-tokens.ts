import "server-only";
import { ambientDb } from "../db/ambient";
import { runStatement } from "../db/statement";
import { currentRequest } from "./context";
import { LIVE_TOKEN, type LiveTokenRow } from "./statements";

// Live tokens by hash, as one request of the authorization server reads them. Without a type hint,
// oidc-provider asks every token model for the same value at once (introspection, revocation): one
// statement answers them all, remembered for the rest of that one request only (never across
// requests, so a revocation counts from the next one). The client's statement may have read the
// token ahead (clients.ts); a write to a token forgets what was read of it.

type Lookup = Promise<LiveTokenRow | null>;

function remembered(): Map<string, Lookup> | undefined {
  const state = currentRequest()?.state as { mandateTokens?: Map<string, Lookup> } | undefined;
  if (!state) return undefined;
  state.mandateTokens ??= new Map();
  return state.mandateTokens;
}

export function lookupToken(hash: string): Lookup {
  const tokens = remembered();
  const known = tokens?.get(hash);
  if (known) return known;
  const lookup: Lookup = ambientDb().then(
    async ({ db }) => (await runStatement(LIVE_TOKEN, [hash, new Date()], db))[0] ?? null,
  );
  tokens?.set(hash, lookup);
  return lookup;
}

/** What the client's statement read of a token this request presents. */
export function rememberToken(hash: string, row: LiveTokenRow | null): void {
  remembered()?.set(hash, Promise.resolve(row));
}

export function forgetToken(hash: string): void {
  remembered()?.delete(hash);
}

export function forgetTokens(): void {
  remembered()?.clear();
}
