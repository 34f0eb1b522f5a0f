import "server-only";
import Provider, { type Configuration, errors, type KoaContextWithOIDC } from "oidc-provider";
import type { Env } from "@/lib/env";
import { CLIENT_KEY_ALGORITHMS } from "@/lib/schemas/agents";
import { prisma } from "../db";
import { guardedFetch, OutboundRefusedError } from "../net/guarded-fetch";
import { adapterFor } from "./adapter";
import { MANDATE_CLIENT_PROPERTIES, type MandateClientMetadata, verifyClientSecret } from "./clients";
import {
  CLIENT_DOCUMENT_MAX_BYTES,
  connectedClientFeatures,
  connectedResourceInfo,
  connectedTokenClaims,
  isConnectedClientId,
} from "./connected";
import { noteRefusal } from "./context";
import { dpopNonceKey } from "./dpop";
import { exchangeClaimsOf, mayActFor, registerTokenExchange } from "./exchange";
import { cookieKeys, signingJwk } from "./keys";
import { logoutSource, postLogoutSuccessSource, renderError } from "./pages";
import { limitOAuth } from "./rate-limits";
import { recordOAuthErrors } from "./refusals";
import { apiResource } from "./resource";

// Mandate's OAuth 2 authorization server: panva's oidc-provider, configured for machine
// identities. Protocol handling is the library's; what is Mandate's is who the clients are
// (clients.ts), where state lives (adapter.ts) and which scopes a token may carry (below).

export const OAUTH_PREFIX = "/oauth";

type Client = { clientId: string; metadata(): Record<string, unknown> };

function mandateOf(client: { metadata(): Record<string, unknown> }) {
  return client.metadata() as unknown as MandateClientMetadata;
}

/** Requested scopes as a list (space-separated in the request). */
function requestedScopes(ctx: KoaContextWithOIDC): string[] {
  const scope = (ctx.oidc.params as { scope?: string } | undefined)?.scope;
  return scope ? scope.split(" ").filter(Boolean) : [];
}

/** Where a person is asked to let an agent act for them (directly, or pushed first: RFC 9126). */
const AUTHORIZATION_ROUTES = new Set(["authorization", "pushed_authorization_request"]);

export function createProvider(config: Env): Provider {
  const defaultResource = apiResource(config.publicUrl);

  const configuration: Configuration = {
    adapter: adapterFor as unknown as Configuration["adapter"],
    clients: [],
    clientDefaults: { id_token_signed_response_alg: "ES256", grant_types: ["client_credentials"], response_types: [] },
    jwks: { keys: [signingJwk(config.authSecret)] },
    cookies: {
      keys: cookieKeys(config.authSecret),
      long: { signed: true, httpOnly: true, sameSite: "lax" },
      short: { signed: true, httpOnly: true, sameSite: "lax" },
    },
    routes: {
      authorization: `${OAUTH_PREFIX}/authorize`,
      token: `${OAUTH_PREFIX}/token`,
      introspection: `${OAUTH_PREFIX}/introspect`,
      revocation: `${OAUTH_PREFIX}/revoke`,
      jwks: `${OAUTH_PREFIX}/jwks`,
      pushed_authorization_request: `${OAUTH_PREFIX}/par`,
      end_session: `${OAUTH_PREFIX}/session/end`,
      // Disabled features below; their routes are moved under /oauth all the same.
      userinfo: `${OAUTH_PREFIX}/userinfo`,
      registration: `${OAUTH_PREFIX}/register`,
      device_authorization: `${OAUTH_PREFIX}/device/auth`,
      code_verification: `${OAUTH_PREFIX}/device`,
      backchannel_authentication: `${OAUTH_PREFIX}/backchannel`,
      challenge: `${OAUTH_PREFIX}/challenge`,
    },
    // Authorization code only: no implicit or hybrid flows, no password grant (not implemented by
    // the library at all), PKCE with S256 required of every client.
    responseTypes: ["code"],
    pkce: { required: () => true },
    scopes: [],
    // "none": public MCP clients (metadata documents, registrations), with PKCE. Mandate's own
    // agents and automation clients name their method in their metadata (clients.ts).
    clientAuthMethods: ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"],
    // Every asymmetric algorithm a registered public key can carry (server/agents/credentials.ts).
    // DPoP proofs (RFC 9449) may be signed with the same algorithms.
    enabledJWA: {
      clientAuthSigningAlgValues: [...CLIENT_KEY_ALGORITHMS],
      dPoPSigningAlgValues: [...CLIENT_KEY_ALGORITHMS],
    },
    extraClientMetadata: { properties: [...MANDATE_CLIENT_PROPERTIES] },
    allowOmittingSingleRegisteredRedirectUri: false,
    // Every fetch the library makes for a client (its JWKS URL, its metadata document) goes
    // through Mandate's guarded fetcher: https, public addresses only (or OUTBOUND_ALLOW), no
    // redirects, a deadline, a cap.
    fetch: (url, options) => {
      const target = url instanceof Request ? url.url : String(url);
      return guardedFetch(target, {
        method: options?.method,
        headers: options?.headers as HeadersInit,
        body: typeof options?.body === "string" ? options.body : undefined,
        signal: options?.signal ?? undefined,
      }).catch((error) => {
        if (error instanceof OutboundRefusedError) noteRefusal(`${target} refused: ${error.message}`, "");
        throw error;
      });
    },
    fetchResponseBodyLimits: { "client_id metadata document": CLIENT_DOCUMENT_MAX_BYTES },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: {
        enabled: true,
        // An agent may introspect its own tokens; an automation client any token of a tenant
        // it can read. Anyone else learns only {"active": false}.
        allowedPolicy: async (_ctx, client, token) => {
          if (token.clientId === client.clientId) return true;
          const caller = mandateOf(client);
          if (caller.mandate_kind !== "automation") return false;
          return canReadTokenTenant(caller, token as unknown as { extra?: { tenant_id?: string } });
        },
      },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (_ctx, _client, oneOf) => oneOf ?? defaultResource,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (ctx, resource, client) => {
          // Told apart by client id, never by metadata: a client that describes itself cannot
          // claim to be one of Mandate's own (connected.ts refuses mandate_* properties too).
          if (isConnectedClientId(client.clientId)) return connectedResourceInfo(ctx, resource);
          const meta = mandateOf(client as unknown as Client);
          const allowed = new Set(meta.mandate_allowed_scopes);
          // RFC 6749 §3.3: an authorization request that names no scope (as MCP clients send when
          // the resource advertises none) asks for Mandate's documented default, every scope the
          // agent's roles allow, the way defaultResource fills in the audience. The person still
          // sees each one on the consent page and approves some or all. An agent with none is
          // refused here, before anyone is asked to consent to nothing.
          if (
            meta.mandate_kind === "agent" &&
            AUTHORIZATION_ROUTES.has(ctx.oidc.route) &&
            !requestedScopes(ctx).length
          ) {
            if (!allowed.size) {
              throw new errors.InvalidScope("scope is required: this agent's roles give it no scope to ask for", "");
            }
            (ctx.oidc.params as { scope?: string }).scope = [...allowed].join(" ");
          }
          // Requested scopes beyond the agent's roles are refused outright rather than silently
          // dropped, so a misconfigured agent finds out at once (and the refusal is recorded).
          const outside = requestedScopes(ctx).filter((s) => !allowed.has(s));
          if (meta.mandate_kind === "agent" && outside.length) {
            throw new errors.InvalidScope(`scope not allowed for this agent: ${outside.join(" ")}`, outside.join(" "));
          }
          if (meta.mandate_kind === "automation" && resource !== defaultResource) {
            throw new errors.InvalidTarget("automation clients get tokens for the Mandate API only");
          }
          return {
            scope: [...allowed].join(" "),
            audience: resource,
            accessTokenTTL: meta.mandate_token_ttl,
            accessTokenFormat: "opaque",
          };
        },
      },
      // A person's session with the authorization server (opened by a consent) can be ended at
      // /oauth/session/end. Grants outlive it: their tokens do not expire with the session.
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
      userinfo: { enabled: false },
      ...connectedClientFeatures(config),
      deviceFlow: { enabled: false },
      // DPoP (RFC 9449): a token request with a proof gets a token bound to the proof's key (cnf.jkt,
      // token_type DPoP); an agent whose registry entry or tenant requires it gets
      // dpop_bound_access_tokens (clients.ts) and is refused a token without a proof. No nonceSecret:
      // Mandate issues no DPoP nonces (server/oauth/dpop.ts says how proofs stay fresh instead).
      // With DPOP_NONCE_SECRET, every token request's proof must carry a nonce the endpoint handed
      // out (use_dpop_nonce with DPoP-Nonce, RFC 9449 §8); without it, freshness is the proof's iat.
      dPoP: config.DPOP_NONCE_SECRET
        ? { enabled: true, nonceSecret: dpopNonceKey(config.DPOP_NONCE_SECRET, "token"), requireNonce: () => true }
        : { enabled: true },
      claimsParameter: { enabled: false },
    },
    extraTokenClaims: async (_ctx, token) => {
      const client = (token as unknown as { client?: Client }).client;
      if (!client) return undefined;
      if (isConnectedClientId(client.clientId)) return connectedTokenClaims(token as { grantId?: string });
      const meta = mandateOf(client);
      // An agent's token says who may act on it (token exchange, exchange.ts); an exchanged one
      // carries its chain: the actors nested hop by hop, its depth and the origin's subject.
      return meta.mandate_kind === "agent"
        ? {
            tenant_id: meta.mandate_tenant_id,
            agent_id: meta.client_id,
            may_act: mayActFor(meta),
            ...exchangeClaimsOf(token),
          }
        : { tenant_id: meta.mandate_tenant_id ?? undefined, automation_client_id: await automationId(meta.client_id) };
    },
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed("refresh_token") && code.kind === "AuthorizationCode",
    rotateRefreshToken: true,
    expiresWithSession: async () => false,
    ttl: {
      AccessToken: (_ctx, _token, client) => mandateOf(client).mandate_token_ttl ?? 600,
      ClientCredentials: (_ctx, _token, client) => mandateOf(client).mandate_token_ttl ?? 600,
      AuthorizationCode: 60,
      RefreshToken: 14 * 24 * 3600,
      Grant: 365 * 24 * 3600,
      Interaction: 15 * 60,
      Session: config.SESSION_MAX_AGE_MINUTES * 60,
    },
    interactions: { url: async (_ctx, interaction) => `${OAUTH_PREFIX}/interaction/${interaction.uid}` },
    findAccount: async (_ctx, sub) => {
      const user = await (await prisma()).user.findUnique({ where: { id: sub }, select: { deactivatedAt: true } });
      if (!user || user.deactivatedAt) return undefined;
      return { accountId: sub, claims: async () => ({ sub }) };
    },
    renderError,
  };

  const provider = new Provider(config.publicUrl, configuration);
  provider.proxy = true;

  // Secrets are stored as hashes: oidc-provider holds a placeholder and asks Mandate instead.
  provider.Client.prototype.compareClientSecret = async function compareClientSecret(this: Client, actual: string) {
    return verifyClientSecret(await prisma(), this.clientId, actual);
  };

  registerTokenExchange(provider);

  // The library always lists `openid` in scopes_supported, but agents hold only their roles'
  // scopes (an agent asking for `openid` gets invalid_scope), and the catalog is per tenant: the
  // discovery document advertises no scope rather than a wrong one (RFC 8414 §2: a server need not
  // list every scope). A client that knows none omits scope and gets the default (above).
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route === "discovery" && ctx.body && typeof ctx.body === "object") {
      delete (ctx.body as { scopes_supported?: unknown }).scopes_supported;
    }
  });

  // Outermost: turns a rate-limited request into a 429 after the refusal middleware has skipped it.
  limitOAuth(provider, {
    token: `${OAUTH_PREFIX}/token`,
    introspection: `${OAUTH_PREFIX}/introspect`,
    registration: `${OAUTH_PREFIX}/register`,
    authorization: [`${OAUTH_PREFIX}/authorize`, `${OAUTH_PREFIX}/par`],
  });
  recordOAuthErrors(provider);
  return provider;
}

async function automationId(clientId: string): Promise<string | undefined> {
  const row = await (await prisma()).automationClient.findUnique({ where: { clientId }, select: { id: true } });
  return row?.id;
}

async function canReadTokenTenant(
  caller: MandateClientMetadata,
  token: { extra?: { tenant_id?: string } },
): Promise<boolean> {
  const row = await (await prisma()).automationClient.findUnique({ where: { clientId: caller.client_id } });
  if (!row || row.revokedAt) return false;
  if (row.globalRole) return true;
  return !!row.tenantId && row.tenantId === token.extra?.tenant_id;
}
