import "server-only";
import { randomUUID } from "node:crypto";
import { type Configuration, errors, type KoaContextWithOIDC } from "oidc-provider";
import type { Env } from "@/lib/env";
import {
  connectedClientSource,
  DCR_CLIENT_PREFIX,
  grantableScopes,
  REGISTERED_CLIENT_MODEL,
  rememberClientDocument,
} from "../agents/connected-clients";
import { recordAudit } from "../audit/record";
import { type Db, prisma } from "../db";
import { ambientDb, inTransaction } from "../db/ambient";
import { currentMeta } from "./context";
import { payloadKey } from "./hash";

// The authorization server's side of connected MCP clients (server/agents/connected-clients.ts):
// oidc-provider's Client ID Metadata Document and dynamic registration features, configured;
// which scopes such a client may get, and which agent its tokens belong to. Such a client gets
// tokens only through a person's consent (authorization code, then refresh): the grant names the
// tenant and the connected agent, and every token request reads them again, so approving,
// blocking or narrowing the open scopes counts from the next request.

/** Fetched documents are cached within these bounds (seconds), following their cache headers. */
export const CLIENT_DOCUMENT_CACHE = { min: 60, max: 3600 } as const;
/** A metadata document larger than this is refused. */
export const CLIENT_DOCUMENT_MAX_BYTES = 5 * 1024;

type Features = NonNullable<Configuration["features"]>;

/**
 * Mandate's own client properties (MANDATE_CLIENT_PROPERTIES: kind, tenant, scopes, lifetime) are
 * Mandate's to set from its registry: a client describing itself may not name any of them.
 */
function refuseMandateProperties(metadata: Record<string, unknown>, what: string): void {
  const claimed = Object.keys(metadata).filter((k) => k.startsWith("mandate_"));
  if (claimed.length) {
    throw new errors.InvalidClientMetadata(`${what} must not set Mandate's own properties (${claimed.join(", ")})`);
  }
}

/** True for a client that identified itself (metadata document or registration), not one Mandate registered. */
export function isConnectedClientId(clientId: string): boolean {
  return connectedClientSource(clientId) !== null;
}

export function connectedClientFeatures(config: Env): Pick<Features, "clientIdMetadataDocument" | "registration"> {
  return {
    clientIdMetadataDocument: {
      enabled: true,
      ack: "draft-02",
      // Every fetch goes through the provider's `fetch`, Mandate's guarded fetcher (provider.ts).
      allowFetch: async () => true,
      allowClient: async (_ctx, client) => {
        const metadata = client.metadata() as Record<string, unknown>;
        refuseMandateProperties(metadata, "client metadata document");
        await rememberClientDocument((await ambientDb()).db as Db, client.clientId, metadata);
        return true;
      },
      cacheDuration: { ...CLIENT_DOCUMENT_CACHE },
    },
    registration: {
      enabled: config.DCR_ENABLED === "true",
      initialAccessToken: false,
      idFactory: () => `${DCR_CLIENT_PREFIX}${randomUUID()}`,
    },
  };
}

/** A registered client as the provider stored it, for ClientAdapter.find. */
export async function registeredClient(db: Db, clientId: string): Promise<Record<string, unknown> | undefined> {
  const row = await db.oidcPayload.findUnique({ where: { key: payloadKey(REGISTERED_CLIENT_MODEL, clientId) } });
  return row ? (row.payload as Record<string, unknown>) : undefined;
}

/**
 * Keeps a dynamic registration. Registered clients hold no secret (Mandate stores secrets only as
 * hashes, and a registration would have to hand one back): public clients with PKCE, or keys.
 */
export async function saveRegisteredClient(clientId: string, payload: Record<string, unknown>) {
  refuseMandateProperties(payload, "client registration");
  const method = payload.token_endpoint_auth_method;
  if (method !== "none" && method !== "private_key_jwt") {
    throw new errors.InvalidClientMetadata(
      "token_endpoint_auth_method must be none (with PKCE) or private_key_jwt: Mandate registers no shared secrets",
    );
  }
  const key = payloadKey(REGISTERED_CLIENT_MODEL, clientId);
  const data = { model: REGISTERED_CLIENT_MODEL, uid: null, grantId: null, payload: payload as object };
  // Anyone may register (when enabled): each registration is on record, with where it came from.
  await inTransaction(async (tx) => {
    await tx.oidcPayload.upsert({ where: { key }, create: { key, ...data }, update: data });
    await recordAudit(tx, {
      action: "oauth.client.registered",
      outcome: "success",
      actor: { type: "anonymous", label: "dynamic client registration" },
      tenantId: null,
      target: { type: "client", id: clientId },
      data: {
        client_name: typeof payload.client_name === "string" ? payload.client_name : null,
        redirect_uris: Array.isArray(payload.redirect_uris) ? payload.redirect_uris : [],
        token_endpoint_auth_method: payload.token_endpoint_auth_method ?? null,
      },
      meta: currentMeta(),
    });
  });
}

async function agentOfGrant(db: Db, grantId: string) {
  const grant = await db.grant.findUnique({
    where: { id: grantId },
    select: {
      agent: {
        select: {
          id: true,
          tenantId: true,
          clientApproval: true,
          tokenTtlSeconds: true,
          kind: true,
          dpopRequired: true,
          tenant: { select: { dpopRequired: true } },
        },
      },
    },
  });
  return grant?.agent.kind === "MCP_CLIENT" ? grant.agent : null;
}

const AUTHORIZATION_ROUTES = new Set(["authorization", "pushed_authorization_request"]);

/** Every scope some tenant opens to unapproved clients (the default for a request naming none). */
async function openScopesAnywhere(db: Db): Promise<string[]> {
  const tenants = await db.tenant.findMany({
    where: { mcpOpenScopes: { isEmpty: false } },
    select: { mcpOpenScopes: true },
    take: 1000,
  });
  return [...new Set(tenants.flatMap((t) => t.mcpOpenScopes))].sort().slice(0, 100);
}

function requested(ctx: KoaContextWithOIDC): string[] {
  const scope = (ctx.oidc.params as { scope?: string } | undefined)?.scope;
  return scope ? scope.split(" ").filter(Boolean) : [];
}

/** The client's agent in the tenant the person let it into, from the person's live grant to it. */
async function agentOfPerson(db: Db, accountId: string, clientId: string) {
  const grant = await db.grant.findFirst({
    where: { userId: accountId, revokedAt: null, agent: { oauthClientId: clientId, kind: "MCP_CLIENT" } },
    orderBy: { updatedAt: "desc" },
    select: { id: true },
  });
  return grant ? agentOfGrant(db, grant.id) : null;
}

/**
 * What a connected client may get for a resource. Before any consent (the authorization request),
 * what it asks for: the consent page narrows it to what the tenant allows. Once the person let it
 * in (the token endpoint, the request resumed after consent, a later request of theirs), what its
 * tenant allows it now: scopes it may not have yet are not asked for again in a loop, and are
 * asked for once allowed (a step-up after approval).
 */
export async function connectedResourceInfo(ctx: KoaContextWithOIDC, resource: string) {
  const { db } = await ambientDb();
  const grantId = (ctx.oidc.entities.Grant as { jti?: string } | undefined)?.jti;
  if (!grantId && ctx.oidc.route === "token") {
    throw new errors.UnauthorizedClient("MCP clients get tokens through a person's consent (authorization_code) only");
  }
  const accountId = ctx.oidc.session?.accountId;
  const agent = grantId
    ? await agentOfGrant(db as Db, grantId)
    : accountId
      ? await agentOfPerson(db as Db, accountId, ctx.oidc.client?.clientId ?? "")
      : null;
  if (!grantId && !agent) {
    // RFC 6749 §3.3: a request naming no scope (MCP clients omit it when the resource lists none)
    // asks for Mandate's default for such a client, the scopes tenants open to unapproved
    // clients; the consent page narrows them to the chosen tenant's, and the person ticks them.
    if (!requested(ctx).length && AUTHORIZATION_ROUTES.has(ctx.oidc.route)) {
      const open = await openScopesAnywhere(db as Db);
      if (!open.length) {
        throw new errors.InvalidScope(
          "scope is required: no tenant opens any scope to clients it has not approved",
          "",
        );
      }
      (ctx.oidc.params as { scope?: string }).scope = open.join(" ");
    }
    return { scope: requested(ctx).join(" "), audience: resource, accessTokenFormat: "opaque" as const };
  }
  if (!agent) throw new errors.InvalidGrant("this grant belongs to no connected client");
  if (agent.clientApproval === "BLOCKED") throw new errors.InvalidGrant("this client is blocked in its tenant");
  // RFC 9449: where the tenant (or the client's agent) requires DPoP, its tokens are bound too.
  if (ctx.oidc.route === "token" && (agent.dpopRequired || agent.tenant.dpopRequired) && !ctx.get("DPoP")) {
    throw new errors.InvalidGrant("DPoP is required in this tenant: send a DPoP proof with the token request");
  }
  return {
    scope: (await grantableScopes(db as Db, agent)).join(" "),
    audience: resource,
    accessTokenTTL: agent.tokenTtlSeconds,
    accessTokenFormat: "opaque" as const,
  };
}

/** The claims a connected client's token carries: its tenant and its agent, from its grant. */
export async function connectedTokenClaims(token: { grantId?: string }) {
  if (!token.grantId) throw new errors.InvalidGrant("MCP clients get tokens through a person's consent only");
  const agent = await agentOfGrant(await prisma(), token.grantId);
  if (!agent || agent.clientApproval === "BLOCKED")
    throw new errors.InvalidGrant("this client is blocked in its tenant");
  return { tenant_id: agent.tenantId, agent_id: agent.id };
}
