import "server-only";
import type Provider from "oidc-provider";
import type { KoaContextWithOIDC } from "oidc-provider";
import { isUuid } from "@/lib/validation";
import { recordAudit } from "../audit/record";
import { requestMeta } from "../auth/request-meta";
import { prisma } from "../db";
import { refusalReason } from "./context";

type OAuthError = Error & { error?: string; error_description?: string; status?: number };

/**
 * Every refused token request is recorded: who asked (the client id as presented), what for, the
 * OAuth error the client saw, and Mandate's own reason ("agent is suspended", "client secret is
 * revoked"), which the client is not told.
 */
export function recordOAuthErrors(provider: Provider): void {
  provider.on("grant.error", (ctx: KoaContextWithOIDC, error: OAuthError) => {
    void record(ctx, "oauth.token.refused", error);
  });
  provider.on("introspection.error", (ctx: KoaContextWithOIDC, error: OAuthError) => {
    void record(ctx, "oauth.introspection.refused", error);
  });
  provider.on("revocation.error", (ctx: KoaContextWithOIDC, error: OAuthError) => {
    void record(ctx, "oauth.revocation.refused", error);
  });
  provider.on("authorization.error", (ctx: KoaContextWithOIDC, error: OAuthError) => {
    void record(ctx, "oauth.authorization.refused", error);
  });
  provider.on("server_error", (ctx: KoaContextWithOIDC, error: Error) => {
    console.error(`[${ctx.get("x-request-id")}] authorization server error`, error);
  });
}

async function record(ctx: KoaContextWithOIDC, action: string, error: OAuthError): Promise<void> {
  try {
    const params = (ctx.oidc?.params ?? {}) as Record<string, unknown>;
    const clientId =
      ctx.oidc?.client?.clientId ?? (typeof params.client_id === "string" ? params.client_id : undefined);
    const db = await prisma();
    let tenantId: string | null = null;
    let actor: { type: "agent" | "client" | "anonymous"; id?: string; label?: string } = { type: "anonymous" };
    if (clientId && isUuid(clientId)) {
      const agent = await db.agent.findUnique({ where: { id: clientId }, select: { tenantId: true, name: true } });
      if (agent) {
        tenantId = agent.tenantId;
        actor = { type: "agent", id: clientId, label: agent.name };
      }
    } else if (clientId) {
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
      reason: refusalReason(ctx) ?? error.error_description ?? error.message,
      data: {
        error: error.error ?? "server_error",
        description: error.error_description ?? null,
        grant_type: typeof params.grant_type === "string" ? params.grant_type : null,
        scope: typeof params.scope === "string" ? params.scope.slice(0, 500) : null,
      },
      meta: requestMeta(ctx.req.headers),
    });
  } catch (cause) {
    console.error("could not record an OAuth refusal", cause);
  }
}
