import "server-only";
import Provider, { type KoaContextWithOIDC } from "oidc-provider";
import type { RequestMeta } from "../audit/record";
import { requestMeta } from "../auth/request-meta";

/** The oidc-provider request being served, if any (it keeps one in AsyncLocalStorage). */
export function currentRequest(): KoaContextWithOIDC | undefined {
  return Provider.ctx as KoaContextWithOIDC | undefined;
}

export function currentMeta(): RequestMeta {
  return requestMeta(currentRequest()?.req.headers);
}

/**
 * Why Mandate refused a client, noted where the refusal is decided (client lookup, secret check)
 * and read where it is recorded (the provider's error events), which only sees the OAuth error.
 */
export function noteRefusal(reason: string, clientId: string): void {
  const ctx = currentRequest();
  if (ctx && !ctx.state.mandateRefusal) ctx.state.mandateRefusal = { reason, clientId };
}

export function refusalOf(ctx: KoaContextWithOIDC): { reason: string; clientId: string } | undefined {
  return ctx.state.mandateRefusal as { reason: string; clientId: string } | undefined;
}
