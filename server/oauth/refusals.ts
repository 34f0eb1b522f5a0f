import "server-only";
import type Provider from "oidc-provider";
import type { KoaContextWithOIDC } from "oidc-provider";
import { ServiceUnavailableError } from "@/lib/errors";
import { isUuid } from "@/lib/validation";
import { recordAudit } from "../audit/record";
import { requestMeta } from "../auth/request-meta";
import { prisma } from "../db";
import { isDatabaseUnavailable } from "../db/unavailable";
import { plausibleClientId } from "./clients";
import { refusalOf } from "./context";
import { rateLimited } from "./rate-limits";

type OAuthError = Error & { error?: string; error_description?: string; status?: number };

const ACTIONS: Record<string, string> = {
  token: "oauth.token.refused",
  introspection: "oauth.introspection.refused",
  revocation: "oauth.revocation.refused",
};

/**
 * Every refused request is recorded: who asked (the client id as presented), what for, the OAuth
 * error the client saw, and Mandate's own reason ("agent is suspended", "client secret is
 * revoked"), which the client is not told. The record is written before the answer leaves (a Koa
 * middleware around every provider route waits for it), and if it cannot be written the answer is
 * a server error instead: nothing is refused off the record.
 */
export function recordOAuthErrors(provider: Provider): void {
  provider.use(async (ctx, next) => {
    await next();
    const oidc = (ctx as KoaContextWithOIDC).oidc;
    const pending: Promise<boolean>[] = [...((ctx.state as MandateState).refusalRecords ?? [])];
    const action = ACTIONS[oidc?.route ?? ""];
    const body = ctx.body as { error?: string; error_description?: string } | undefined;
    // A rate-limited request becomes a 429 (rate-limits.ts); its trip is recorded there, once.
    if (action && ctx.status >= 400 && body?.error && body.error !== "server_error" && !rateLimited(ctx)) {
      const error = Object.assign(new Error(body.error_description ?? body.error), body);
      pending.push(record(ctx as KoaContextWithOIDC, action, error));
    }
    if ((ctx.state as MandateState).databaseUnavailable) {
      // The database did not answer in time: a 503 to retry, never a token or an "active".
      const e = new ServiceUnavailableError();
      ctx.remove("location");
      ctx.status = 503;
      ctx.set("retry-after", String(e.retryAfterSeconds));
      ctx.body = { error: "temporarily_unavailable", error_description: e.message };
      return;
    }
    const recorded = (await Promise.all(pending)).every(Boolean);
    if (!recorded) {
      ctx.remove("location");
      ctx.status = 500;
      ctx.body = { error: "server_error", error_description: "The request could not be recorded. Nothing was done." };
    }
  });
  // The authorization endpoint answers by redirecting the browser; its refusals are recorded as
  // they happen, and the middleware above waits for the record before the redirect leaves.
  provider.on("authorization.error", (ctx: KoaContextWithOIDC, error: OAuthError) => {
    const state = ctx.state as MandateState;
    state.refusalRecords = [...(state.refusalRecords ?? []), record(ctx, "oauth.authorization.refused", error)];
  });
  provider.on("server_error", (ctx: KoaContextWithOIDC, error: Error) => {
    if (isDatabaseUnavailable(error)) (ctx.state as MandateState).databaseUnavailable = true;
    console.error(`[${ctx.get("x-request-id")}] authorization server error`, error);
  });
}

type MandateState = { refusalRecords?: Promise<boolean>[]; databaseUnavailable?: boolean };

/** Writes the refusal's audit event; false (and the cause logged) when it could not be written. */
async function record(ctx: KoaContextWithOIDC, action: string, error: OAuthError): Promise<boolean> {
  try {
    const params = (ctx.oidc?.params ?? {}) as Record<string, unknown>;
    const refusal = refusalOf(ctx);
    const clientId =
      ctx.oidc?.client?.clientId ??
      refusal?.clientId ??
      (typeof params.client_id === "string" ? params.client_id : undefined);
    const db = await prisma();
    let tenantId: string | null = null;
    let actor: { type: "agent" | "client" | "anonymous"; id?: string; label?: string } = { type: "anonymous" };
    if (clientId && isUuid(clientId)) {
      const agent = await db.agent.findUnique({ where: { id: clientId }, select: { tenantId: true, name: true } });
      if (agent) {
        tenantId = agent.tenantId;
        actor = { type: "agent", id: clientId, label: agent.name };
      }
    } else if (clientId && plausibleClientId(clientId)) {
      const client = await db.automationClient.findUnique({
        where: { clientId },
        select: { id: true, tenantId: true },
      });
      if (client) {
        tenantId = client.tenantId;
        actor = { type: "client", id: client.id, label: clientId };
      }
    }
    if (actor.type === "anonymous" && clientId) actor.label = clientId.slice(0, 200);
    await recordAudit(db, {
      action,
      outcome: "denied",
      actor,
      tenantId,
      target: clientId ? { type: "client", id: clientId.slice(0, 200) } : undefined,
      reason: refusal?.reason ?? error.error_description ?? error.message,
      data: {
        error: error.error ?? "server_error",
        description: error.error_description ?? null,
        grant_type: typeof params.grant_type === "string" ? params.grant_type : null,
        scope: typeof params.scope === "string" ? params.scope.slice(0, 500) : null,
      },
      meta: requestMeta(ctx.req.headers),
    });
    return true;
  } catch (cause) {
    console.error(`[${ctx.get("x-request-id")}] could not record an OAuth refusal; answering 500`, cause);
    return false;
  }
}
