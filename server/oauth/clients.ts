import "server-only";
import { env } from "@/lib/env";
import { unstorableAt } from "@/lib/text/storable";
import { isUuid } from "@/lib/validation";
import { connectedClientSource } from "../agents/connected-clients";
import { hashSecret } from "../agents/secrets";
import type { Db } from "../db";
import { runStatement } from "../db/statement";
import { registeredClient } from "./connected";
import { currentRequest, noteRefusal } from "./context";
import { TOKEN_EXCHANGE } from "./exchange";
import { hashToken } from "./hash";
import { secretPlaceholder } from "./keys";
import { limitClient } from "./rate-limits";
import { rememberToken } from "./request-tokens";
import {
  AGENT_CLIENT,
  CREDENTIAL_BY_SECRET,
  CREDENTIAL_USED,
  type CredentialRow,
  type LiveTokenRow,
} from "./statements";

// Every agent is an OAuth client whose metadata is built from the registry on each lookup, so a
// suspension, a new redirect URI or a revoked key counts from the next request. Automation
// clients (the admin API's callers) are clients too, with client_credentials only.

export type MandateClientKind = "agent" | "automation";

/** Client metadata as oidc-provider reads it, plus Mandate's own properties (extraClientMetadata). */
export interface MandateClientMetadata {
  client_id: string;
  client_secret: string;
  client_name: string;
  grant_types: string[];
  response_types: string[];
  redirect_uris: string[];
  token_endpoint_auth_method: string;
  jwks?: { keys: object[] };
  jwks_uri?: string;
  /** RFC 9449: token requests must carry a DPoP proof (the agent or its tenant requires binding). */
  dpop_bound_access_tokens?: boolean;
  mandate_kind: MandateClientKind;
  mandate_tenant_id: string | null;
  mandate_allowed_scopes: string[];
  mandate_token_ttl: number;
  /** Who may act on this agent's tokens: the agents listed, or (null) any agent of its tenant. */
  mandate_may_delegate_to?: string[] | null;
}

export const MANDATE_CLIENT_PROPERTIES = [
  "mandate_kind",
  "mandate_tenant_id",
  "mandate_allowed_scopes",
  "mandate_token_ttl",
  "mandate_may_delegate_to",
] as const;

/** Automation clients' tokens live this long; they are re-fetched with a secret, not refreshed. */
export const AUTOMATION_TOKEN_TTL = 600;

/** private_key_jwt when the request carries a client assertion; a client secret otherwise. */
function requestedAuthMethod(): "private_key_jwt" | "client_secret_basic" {
  const params = currentRequest()?.oidc?.params as { client_assertion?: string } | undefined;
  return params?.client_assertion ? "private_key_jwt" : "client_secret_basic";
}

/** A client id that can name no client (unstorable text, absurd length) is refused before any query. */
export function plausibleClientId(clientId: string): boolean {
  return clientId.length > 0 && clientId.length <= 200 && unstorableAt(clientId) === -1;
}

export async function clientMetadata(db: Db, clientId: string): Promise<MandateClientMetadata | undefined> {
  if (!plausibleClientId(clientId)) return refuse("malformed client id", clientId);
  if (isUuid(clientId)) return agentClient(db, clientId);
  // A client metadata document's URL: oidc-provider fetches and checks it (connected.ts).
  const source = connectedClientSource(clientId);
  if (source === "metadata_document") return undefined;
  if (source === "registration") {
    const registered = env().DCR_ENABLED === "true" ? await registeredClient(db, clientId) : undefined;
    return registered ? (registered as unknown as MandateClientMetadata) : refuse("unknown client", clientId);
  }
  return automationClient(db, clientId);
}

async function agentClient(db: Db, id: string): Promise<MandateClientMetadata | undefined> {
  const now = new Date();
  const method = requestedAuthMethod();
  const ahead = readAhead();
  const [agent] = await runStatement(
    AGENT_CLIENT,
    [id, ahead.secretHash, ahead.tokenHash, ahead.tokenHash && now, ahead.issues],
    db,
  );
  if (agent) {
    ahead.keep(
      agent.credential_id
        ? {
            id: agent.credential_id,
            agent_id: agent.credential_agent_id as string,
            revoked_at: agent.credential_revoked_at,
            expires_at: agent.credential_expires_at,
            last_used_at: agent.credential_last_used_at,
          }
        : null,
      agent.token_kind
        ? {
            kind: agent.token_kind,
            payload: agent.token_payload,
            consumed_at: agent.token_consumed_at,
            grant_id: agent.token_grant_id,
          }
        : null,
    );
  }
  if (!agent) return refuse("unknown client", id);
  // A connected MCP client is a client by its own client id (its metadata document's URL, its
  // registration's id), and gets tokens through a person's consent only (connected.ts).
  if (agent.kind === "MCP_CLIENT") return refuse("an MCP client is a client by its own client id only", id);
  if (agent.status !== "ACTIVE") return refuse(`agent is ${agent.status.toLowerCase()}`, id);
  if (agent.review_due_at && new Date(agent.review_due_at) <= now) return refuse("agent is past its review date", id);
  if (agent.consent_withdrawn_at) return refuse("the tenant withdrew its consent from this agent", id);
  if (await limitClient(agent.id, { type: "agent", id: agent.id, label: agent.name, tenantId: agent.tenant_id })) {
    return undefined;
  }

  const keys: Pick<MandateClientMetadata, "jwks" | "jwks_uri"> = {};
  if (method === "private_key_jwt") {
    // Public keys are read only when the client authenticates with one.
    const credentials = await db.credential.findMany({
      where: {
        agentId: agent.id,
        revokedAt: null,
        type: { in: ["JWK", "JWKS_URL"] },
        OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
      },
      orderBy: { createdAt: "asc" },
    });
    const jwks = credentials.filter((c) => c.type === "JWK" && c.publicJwk);
    const url = credentials.find((c) => c.type === "JWKS_URL" && c.jwksUrl);
    if (jwks.length) keys.jwks = { keys: jwks.map((c) => c.publicJwk as object) };
    else if (url?.jwksUrl) keys.jwks_uri = url.jwksUrl;
    else return refuse("agent has no live public key credential", id);
  }

  const consent = agent.redirect_uris.length > 0;
  return {
    client_id: agent.id,
    client_secret: secretPlaceholder(agent.id),
    client_name: agent.name,
    grant_types: consent
      ? ["client_credentials", TOKEN_EXCHANGE, "authorization_code", "refresh_token"]
      : ["client_credentials", TOKEN_EXCHANGE],
    response_types: consent ? ["code"] : [],
    redirect_uris: agent.redirect_uris,
    token_endpoint_auth_method: method,
    ...keys,
    dpop_bound_access_tokens: agent.dpop_required,
    mandate_kind: "agent",
    mandate_tenant_id: agent.tenant_id,
    mandate_allowed_scopes: agent.scopes,
    mandate_token_ttl: agent.token_ttl_seconds,
    mandate_may_delegate_to: agent.delegation_restricted ? (agent.may_delegate_to ?? []) : null,
  };
}

async function automationClient(db: Db, clientId: string): Promise<MandateClientMetadata | undefined> {
  const client = await db.automationClient.findUnique({ where: { clientId } });
  if (!client) return refuse("unknown client", clientId);
  if (client.revokedAt) return refuse("automation client is revoked", clientId);
  if (
    await limitClient(client.clientId, {
      type: "client",
      id: client.id,
      label: client.clientId,
      tenantId: client.tenantId,
    })
  ) {
    return undefined;
  }
  if (requestedAuthMethod() !== "client_secret_basic")
    return refuse("automation clients authenticate with a secret", clientId);
  return {
    client_id: client.clientId,
    client_secret: secretPlaceholder(client.clientId),
    client_name: client.name,
    grant_types: ["client_credentials"],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: "client_secret_basic",
    mandate_kind: "automation",
    mandate_tenant_id: client.tenantId,
    mandate_allowed_scopes: [],
    mandate_token_ttl: AUTOMATION_TOKEN_TTL,
  };
}

/**
 * What the request presents that the authorization server will ask about once it has the client:
 * the client secret (Basic header or form) and, for an introspection, the token. The client's
 * statement reads their rows ahead (an introspection is then one statement); the provider still
 * parses and checks both itself, and a row read ahead is used only for the very value it was read
 * for, in this request (never across requests).
 */
function readAhead() {
  const ctx = currentRequest();
  const params = (ctx?.oidc?.params ?? {}) as { client_secret?: unknown; token?: unknown };
  const secret =
    typeof params.client_secret === "string" ? params.client_secret : basicSecret(ctx?.get("authorization"));
  const secretHash = secret ? hashSecret(secret) : null;
  const tokenHash =
    ctx?.oidc?.route === "introspection" && typeof params.token === "string" ? hashToken(params.token) : null;
  // Introspection and revocation issue nothing: the client's scopes are not read for them.
  const route = ctx?.oidc?.route;
  return {
    secretHash,
    tokenHash,
    issues: route !== "introspection" && route !== "revocation",
    keep(credential: CredentialRow | null, token: LiveTokenRow | null) {
      if (!ctx) return;
      if (secretHash) ctx.state.mandateCredential = { hash: secretHash, row: credential };
      if (tokenHash) rememberToken(tokenHash, token);
    },
  };
}

/** The secret of a Basic authorization header (RFC 6749 §2.3.1: form-encoded), if it has one. */
function basicSecret(header: string | undefined): string | undefined {
  const [scheme, value] = (header ?? "").split(" ");
  if (scheme?.toLowerCase() !== "basic" || !value) return undefined;
  const basic = Buffer.from(value, "base64").toString("utf8");
  const i = basic.indexOf(":");
  try {
    return i === -1 ? undefined : decodeURIComponent(basic.slice(i + 1).replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}

/** The credential read ahead for this request's secret, when it was read for exactly this hash. */
function credentialReadAhead(hash: string): CredentialRow | null | undefined {
  const kept = currentRequest()?.state.mandateCredential as { hash: string; row: CredentialRow | null } | undefined;
  return kept?.hash === hash ? kept.row : undefined;
}

/**
 * "Last used" is kept to the minute: writing it on every token request would make each one a
 * write, for a figure people read in minutes anyway.
 */
export const LAST_USED_RESOLUTION_MS = 60_000;
const stale = (at: Date | null, now: Date) => !at || now.getTime() - at.getTime() >= LAST_USED_RESOLUTION_MS;

function refuse(reason: string, clientId: string): undefined {
  noteRefusal(reason, clientId);
  return undefined;
}

/**
 * Checks a presented client secret against the stored hashes (oidc-provider only ever sees a
 * placeholder). A secret that matches a revoked or expired credential is refused with that
 * reason, so the audit trail tells a leaked old secret from a typo.
 */
export async function verifyClientSecret(db: Db, clientId: string, presented: string): Promise<boolean> {
  if (!plausibleClientId(clientId)) return false;
  const hash = hashSecret(presented);
  const now = new Date();
  if (!isUuid(clientId)) {
    const client = await db.automationClient.findUnique({
      where: { clientId },
      select: { id: true, secretHash: true, lastUsedAt: true },
    });
    if (!client || client.secretHash !== hash) return refuse("invalid client secret", clientId) ?? false;
    if (stale(client.lastUsedAt, now)) {
      await db.automationClient.update({ where: { id: client.id }, data: { lastUsedAt: now } });
    }
    return true;
  }
  const ahead = credentialReadAhead(hash);
  const credential = ahead !== undefined ? ahead : (await runStatement(CREDENTIAL_BY_SECRET, [hash], db))[0];
  if (!credential || credential.agent_id !== clientId) return refuse("invalid client secret", clientId) ?? false;
  if (credential.revoked_at) return refuse("client secret is revoked", clientId) ?? false;
  if (credential.expires_at && new Date(credential.expires_at) <= now)
    return refuse("client secret has expired", clientId) ?? false;
  if (stale(credential.last_used_at && new Date(credential.last_used_at), now)) {
    await runStatement(CREDENTIAL_USED, [credential.id, now], db);
  }
  return true;
}
