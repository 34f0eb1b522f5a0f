import "server-only";
import type Provider from "oidc-provider";
import type { KoaContextWithOIDC } from "oidc-provider";
import { checkLimit, type LimitKind } from "../ratelimit/limiter";
import { currentRequest } from "./context";

// Rate limits on the token and introspection endpoints: per source address before anything is
// read (a cheap refusal), and per client once the client is known (clients.ts asks limitClient).
// Either answers 429 with Retry-After; the trip is recorded once (ratelimit/limiter.ts), and the
// refused requests are not each written to the audit store as refusals.

const ROUTES: Record<string, LimitKind> = { token: "token", introspection: "introspection" };

type State = { mandateRateLimited?: number };

export function rateLimited(ctx: { state: unknown }): number {
  return (ctx.state as State).mandateRateLimited ?? 0;
}

function answer429(ctx: KoaContextWithOIDC, seconds: number) {
  ctx.status = 429;
  ctx.set("retry-after", String(seconds));
  ctx.set("cache-control", "no-store");
  ctx.body = {
    error: "too_many_requests",
    error_description: `Rate limit reached: try again in ${seconds} second${seconds === 1 ? "" : "s"}.`,
  };
}

export function limitOAuth(
  provider: Provider,
  paths: { token: string; introspection: string; registration: string; authorization: string[] },
): void {
  provider.use(async (ctx, next) => {
    const address = ctx.get("x-mandate-client-ip");
    // Dynamic registrations (when enabled) are few by nature: their own, low limit per address.
    if (ctx.method === "POST" && ctx.path === paths.registration && address) {
      const wait = await checkLimit("registration", address, { path: ctx.path });
      if (wait) return answer429(ctx as KoaContextWithOIDC, wait);
    }
    const kind =
      ctx.method === "POST"
        ? ctx.path === paths.token
          ? "token"
          : ctx.path === paths.introspection
            ? "introspection"
            : null
        : null;
    // Authorization requests may make Mandate fetch a client's metadata document: they count
    // against the address's limit too.
    const authorizing = paths.authorization.includes(ctx.path);
    if ((kind || authorizing) && address) {
      const wait = await checkLimit("address", address, { path: ctx.path });
      if (wait) return answer429(ctx as KoaContextWithOIDC, wait);
    }
    await next();
    const wait = rateLimited(ctx);
    if (wait) answer429(ctx as KoaContextWithOIDC, wait);
  });
}

/**
 * Counts a token or introspection request against its client's limit, from the client lookup.
 * True when the client is over it: the lookup then refuses the client, and the response becomes
 * a 429.
 */
export async function limitClient(
  clientId: string,
  actor: { type: "agent" | "client"; id: string; label: string; tenantId: string | null },
): Promise<boolean> {
  const ctx = currentRequest();
  const kind = ROUTES[ctx?.oidc?.route ?? ""];
  if (!ctx || !kind) return false;
  const wait = await checkLimit(kind, clientId, {
    path: ctx.path,
    tenantId: actor.tenantId,
    actor: { type: actor.type, id: actor.id, label: actor.label },
  });
  if (wait) (ctx.state as State).mandateRateLimited = wait;
  return wait > 0;
}
