import "server-only";
import type Provider from "oidc-provider";
import { errors, type KoaContextWithOIDC } from "oidc-provider";
import { runStatement } from "../db/statement";
import { EXCHANGE_SUBJECT, type ExchangeSubjectRow } from "./chain";
import type { MandateClientMetadata } from "./clients";
import { noteRefusal } from "./context";
import {
  currentDpopNonce,
  DpopNonceError,
  DpopProofError,
  spendDpopProof,
  type VerifiedProof,
  verifyDpopProof,
} from "./dpop";
import { hashToken } from "./hash";

// RFC 8693 token exchange, registered with oidc-provider as a grant of its own (it has none built
// in): an agent presents a Mandate access token it holds or was handed (subject_token), and gets a
// new opaque access token that is never wider than its parent: scopes within the parent's and the
// acting agent's own roles', the same audience, an expiry no later than the parent's. Whoever may
// act on the parent (its `may_act`, set when it was issued) is enforced, and so is the tenant's
// maximum depth. The new token records its parent, the chain above it and its actor; revoking
// anything in the chain revokes it (chain.ts).

export const TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

/** The longest lifetime an exchange may ask for, in seconds (it is capped by the parent's anyway). */
const MAX_REQUESTED_LIFETIME = 24 * 3600;

export const EXCHANGE_PARAMETERS = [
  "subject_token",
  "subject_token_type",
  "actor_token",
  "actor_token_type",
  "requested_token_type",
  "scope",
  "audience",
  "resource",
  "expires_in",
] as const;

/** RFC 8693 §4.1: the current actor outermost, each earlier one nested inside. */
export interface ActClaim {
  sub: string;
  client_id: string;
  act?: ActClaim;
}

/** Who may act on a token (RFC 8693 §4.4): any agent of a tenant, or the agents listed. */
export interface MayActClaim {
  tenant_id: string;
  client_id?: string[];
}

/** What the exchange hands the adapter for the new token's row and audit event. */
export interface ExchangeRecord {
  parentId: string;
  ancestors: string[];
  chainAgents: string[];
  depth: number;
  grantId: string | null;
  requestedScopes: string[] | null;
}

/** The exchanged token's claims beyond oidc-provider's own (extraTokenClaims adds them). */
export interface ExchangeClaims {
  act: ActClaim;
  depth: number;
  /** The origin's subject when it is an agent (a person's id is the token's accountId). */
  sub?: string;
}

type ExchangeToken = { mandateExchange?: ExchangeClaims };

export function exchangeClaimsOf(token: unknown): ExchangeClaims | undefined {
  return (token as ExchangeToken).mandateExchange;
}

export function exchangeRecordOf(ctx: KoaContextWithOIDC | undefined): ExchangeRecord | undefined {
  return ctx?.state?.mandateExchange as ExchangeRecord | undefined;
}

/** `may_act` for a token an agent is issued, from its registry entry ("may delegate to"). */
export function mayActFor(meta: MandateClientMetadata): MayActClaim | undefined {
  if (meta.mandate_kind !== "agent" || !meta.mandate_tenant_id) return undefined;
  return meta.mandate_may_delegate_to
    ? { tenant_id: meta.mandate_tenant_id, client_id: meta.mandate_may_delegate_to }
    : { tenant_id: meta.mandate_tenant_id };
}

/** The reason is Mandate's own record of the refusal (refusals.ts) and the client's description. */
export function refuse<E extends Error>(error: E, clientId: string): E {
  noteRefusal((error as { error_description?: string }).error_description ?? error.message, clientId);
  return error;
}

/** invalid_grant with its reason told to the client (oidc-provider's InvalidGrant keeps it to itself). */
export function invalidGrant(description: string): Error {
  return new errors.CustomOIDCProviderError("invalid_grant", description);
}

function single(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !value) throw new errors.InvalidRequest(`${name} must be a single non-empty value`);
  return value;
}

function list(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");
}

function allowedToAct(subject: ExchangeSubjectRow, clientId: string, tenantId: string | null): boolean {
  // An agent may always narrow a token it holds itself.
  if (subject.agent_id === clientId) return true;
  const mayAct = subject.payload?.extra?.may_act as MayActClaim | undefined;
  if (!mayAct || mayAct.tenant_id !== tenantId) return false;
  return mayAct.client_id ? mayAct.client_id.includes(clientId) : true;
}

/**
 * The exchange request's DPoP proof, verified for the token endpoint and spent, or undefined when
 * none was sent; a proof that does not verify or was used before is refused (invalid_dpop_proof).
 */
async function exchangeProof(ctx: KoaContextWithOIDC, clientId: string): Promise<VerifiedProof | undefined> {
  const header = ctx.get("DPoP");
  if (!header) return undefined;
  const fail = (why: string) => refuse(new errors.InvalidDpopProof(why), clientId);
  let proof: VerifiedProof;
  try {
    proof = await verifyDpopProof(header, { method: ctx.method, url: ctx.oidc.urlFor("token"), nonceUse: "token" });
  } catch (error) {
    if (error instanceof DpopNonceError) {
      // As the token endpoint answers for its other grants (RFC 9449 §8): a nonce to retry with.
      ctx.set("DPoP-Nonce", currentDpopNonce("token") as string);
      throw refuse(new errors.UseDpopNonce(error.message), clientId);
    }
    if (error instanceof DpopProofError) throw fail(error.message);
    throw error;
  }
  if (!(await spendDpopProof(proof))) throw fail("the DPoP proof was already used (replay)");
  return proof;
}

export function registerTokenExchange(provider: Provider): void {
  provider.registerGrantType(
    TOKEN_EXCHANGE,
    async (ctx: KoaContextWithOIDC) => {
      const client = ctx.oidc.client;
      if (!client) throw new errors.InvalidClient();
      const meta = client.metadata() as unknown as MandateClientMetadata;
      const clientId = client.clientId;
      const fail = <E extends Error>(error: E) => refuse(error, clientId);
      if (meta.mandate_kind !== "agent") {
        throw fail(new errors.UnauthorizedClient("only agents exchange tokens"));
      }
      const params = ctx.oidc.params as Record<string, unknown>;
      // DPoP (RFC 9449): a proof on the exchange binds the new token to its key, as oidc-provider
      // binds the grants it implements (which custom grants are not handed the helpers for).
      const dPoP = await exchangeProof(ctx, clientId);
      if (!dPoP && meta.dpop_bound_access_tokens) {
        throw fail(invalidGrant("this agent must bind its tokens: send a DPoP proof (RFC 9449)"));
      }
      const subjectToken = single(params.subject_token, "subject_token");
      const subjectType = single(params.subject_token_type, "subject_token_type");
      if (!subjectToken || !subjectType) {
        throw new errors.InvalidRequest("subject_token and subject_token_type are required");
      }
      if (subjectType !== ACCESS_TOKEN_TYPE) {
        throw fail(new errors.InvalidRequest(`subject_token_type must be ${ACCESS_TOKEN_TYPE}`));
      }
      const requestedType = single(params.requested_token_type, "requested_token_type");
      if (requestedType && requestedType !== ACCESS_TOKEN_TYPE) {
        throw fail(new errors.InvalidRequest(`requested_token_type must be ${ACCESS_TOKEN_TYPE}`));
      }
      const now = new Date();
      const read = async (value: string) => (await runStatement(EXCHANGE_SUBJECT, [hashToken(value), now]))[0];

      // The actor token, when sent, must be a live token of the agent that authenticated.
      const actorToken = single(params.actor_token, "actor_token");
      const actorType = single(params.actor_token_type, "actor_token_type");
      if (actorToken || actorType) {
        if (!actorToken || !actorType) {
          throw fail(new errors.InvalidRequest("actor_token and actor_token_type go together"));
        }
        if (actorType !== ACCESS_TOKEN_TYPE) {
          throw fail(new errors.InvalidRequest(`actor_token_type must be ${ACCESS_TOKEN_TYPE}`));
        }
        const actor = await read(actorToken);
        if (!actor || actor.agent_id !== clientId) {
          throw fail(invalidGrant("actor_token is not a live token of the authenticated agent"));
        }
      }

      const subject = await read(subjectToken);
      if (!subject) throw fail(invalidGrant("subject_token is not a live access token of an agent"));
      if (subject.tenant_id !== meta.mandate_tenant_id) {
        throw fail(invalidGrant("subject_token belongs to another tenant"));
      }
      if (!allowedToAct(subject, clientId, meta.mandate_tenant_id)) {
        throw fail(invalidGrant(`agent ${clientId} may not act on this subject_token (may_act)`));
      }
      const depth = subject.depth + 1;
      const maxDepth = subject.max_depth ?? 3;
      if (depth > maxDepth) {
        throw fail(invalidGrant(`delegation would be ${depth} exchanges deep; this tenant allows at most ${maxDepth}`));
      }

      // Narrowing: asked-for scopes within the parent's and the actor's own, or refused (never trimmed).
      const scopeParam = single(params.scope, "scope");
      const requested = scopeParam ? [...new Set(scopeParam.split(" ").filter(Boolean))] : null;
      const scopes = requested ?? subject.scopes;
      const beyondParent = scopes.filter((s) => !subject.scopes.includes(s));
      if (beyondParent.length) {
        throw fail(
          new errors.InvalidScope(
            `scope wider than the subject_token's: ${beyondParent.join(" ")}`,
            beyondParent.join(" "),
          ),
        );
      }
      const beyondActor = scopes.filter((s) => !meta.mandate_allowed_scopes.includes(s));
      if (beyondActor.length) {
        throw fail(
          new errors.InvalidScope(`scope not allowed for this agent: ${beyondActor.join(" ")}`, beyondActor.join(" ")),
        );
      }
      if (!scopes.length) throw fail(new errors.InvalidScope("the exchanged token would carry no scope", ""));

      const audiences = [...new Set([...list(params.resource), ...list(params.audience)])];
      const outside = audiences.filter((a) => a !== subject.audience);
      if (outside.length || !subject.audience) {
        throw fail(new errors.InvalidTarget(`audience wider than the subject_token's: ${outside.join(" ")}`));
      }

      const parentLeft = Math.floor((new Date(subject.expires_at).getTime() - now.getTime()) / 1000);
      const lifetimeParam = single(params.expires_in, "expires_in");
      let expiresIn = Math.min(meta.mandate_token_ttl, parentLeft);
      if (lifetimeParam !== undefined) {
        const asked = Number(lifetimeParam);
        if (!/^\d{1,6}$/.test(lifetimeParam) || asked < 1 || asked > MAX_REQUESTED_LIFETIME) {
          throw fail(new errors.InvalidRequest(`expires_in must be whole seconds from 1 to ${MAX_REQUESTED_LIFETIME}`));
        }
        if (asked > parentLeft) {
          throw fail(
            new errors.InvalidRequest(
              `expires_in ${asked} outlives the subject_token, which expires in ${parentLeft} s`,
            ),
          );
        }
        expiresIn = asked;
      }
      if (expiresIn < 1) throw fail(invalidGrant("subject_token expires now"));

      // The chain: the parent's, plus the parent; the agents that held it, plus this one.
      const origin = subject.agent_id as string;
      const ancestors = [...subject.ancestors, subject.id];
      const chainAgents = subject.depth === 0 ? [origin, clientId] : [...subject.chain_agents, clientId];
      const parentAct = subject.payload?.extra?.act as ActClaim | undefined;
      const person = subject.subject_id;
      const inner: ActClaim | undefined = parentAct ?? (person ? { sub: origin, client_id: origin } : undefined);
      const claims: ExchangeClaims = {
        act: { sub: clientId, client_id: clientId, ...(inner ? { act: inner } : {}) },
        depth,
        ...(person ? {} : { sub: (subject.payload?.extra?.sub as string | undefined) ?? origin }),
      };
      const record: ExchangeRecord = {
        parentId: subject.id,
        ancestors,
        chainAgents,
        depth,
        grantId: subject.grant_id,
        requestedScopes: requested,
      };

      const { AccessToken } = provider;
      // No grantId: the person's grant is Mandate's record (the token row's grant_id, from `record`),
      // not the provider's, whose grant names the origin agent as its client.
      const token = new AccessToken({
        client,
        ...(person ? { accountId: person } : {}),
        gty: TOKEN_EXCHANGE,
        scope: scopes.join(" "),
        expiresIn,
      } as unknown as ConstructorParameters<typeof AccessToken>[0]);
      token.setAudience(subject.audience);
      if (dPoP) token.setThumbprint("jkt", dPoP.jkt);
      (token as unknown as ExchangeToken).mandateExchange = claims;
      ctx.state.mandateExchange = record;

      // The adapter writes it only while the chain holds (statements.ts, INSERT_EXCHANGED_TOKEN).
      ctx.oidc.entity("AccessToken", token);
      const value = await token.save();

      ctx.body = {
        access_token: value,
        issued_token_type: ACCESS_TOKEN_TYPE,
        token_type: token.tokenType,
        expires_in: token.expiration,
        scope: token.scope,
      };
    },
    [...EXCHANGE_PARAMETERS],
    ["resource", "audience"],
  );
}
