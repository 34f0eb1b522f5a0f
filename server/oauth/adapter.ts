import "server-only";
import { randomUUID } from "node:crypto";
import { type Adapter, type AdapterPayload, errors } from "oidc-provider";
import { env } from "@/lib/env";
import { isUuid } from "@/lib/validation";
import { DCR_CLIENT_PREFIX } from "../agents/connected-clients";
import { appendGrouped } from "../audit/group-commit";
import { buildEvent, recordAudit } from "../audit/record";
import { eventParams } from "../audit/statements";
import type { Db } from "../db";
import { ambientDb, inTransaction } from "../db/ambient";
import { databaseOfClient } from "../db/client";
import type { Prisma, TokenKind } from "../db/generated/client";
import { runStatement } from "../db/statement";
import { touchGrant } from "../grants/usage";
import { chainBeingRevoked, revokeBelowTokens } from "./chain";
import { clientMetadata } from "./clients";
import { isConnectedClientId, saveRegisteredClient } from "./connected";
import { currentMeta, currentRequest } from "./context";
import { exchangeRecordOf, invalidGrant, refuse, TOKEN_EXCHANGE } from "./exchange";
import { hashToken, payloadKey } from "./hash";
import { forgetToken, forgetTokens, lookupToken } from "./request-tokens";
import { AGENT_TENANT, INSERT_EXCHANGED_TOKEN, tokenParams, UPSERT_TOKEN, UPSERT_TOKEN_AUDITED } from "./statements";
import { tokenActor } from "./token-store";

// oidc-provider's persistence, through Prisma. Three shapes:
// - tokens (access, client credentials, refresh, authorization codes) go to `tokens`, keyed by a
//   hash of their value: the value itself is never written, so a database dump holds no token;
// - grants (a user's consent to an agent) go to `grants`, the record people review and revoke;
// - the rest (interactions, sessions, replay detection) go to `oidc_payloads`, keyed by a hash.
// Every find re-reads the database: nothing is cached, so a revocation is seen by the next request.
// The token reads and writes, on every request, are named statements (statements.ts); the rest
// goes through Prisma.

const TOKEN_KINDS: Record<string, TokenKind> = {
  AccessToken: "ACCESS_TOKEN",
  ClientCredentials: "CLIENT_CREDENTIALS",
  RefreshToken: "REFRESH_TOKEN",
  AuthorizationCode: "AUTHORIZATION_CODE",
};

type Payload = AdapterPayload & Record<string, unknown>;

const epoch = (d: Date) => Math.floor(d.getTime() / 1000);
const expiry = (expiresIn: number | undefined) => new Date(Date.now() + (expiresIn ?? 3600) * 1000);
const json = (payload: object) => payload as Prisma.InputJsonValue;

/** The scopes of a payload: its own `scope`, or for a grant every resource's scopes. */
function scopesOf(payload: Payload): string[] {
  const all = new Set<string>();
  const add = (s: unknown) => {
    if (typeof s !== "string") return;
    for (const x of s.split(" ")) if (x) all.add(x);
  };
  add(payload.scope);
  for (const s of Object.values((payload.resources as Record<string, string> | undefined) ?? {})) add(s);
  add((payload.openid as { scope?: string } | undefined)?.scope);
  return [...all].sort();
}

function withoutValue(payload: Payload): Payload {
  const { jti: _value, ...rest } = payload;
  return rest as Payload;
}

/** Why a family of tokens is being revoked, from the request that caused it. */
function familyRevocationReason(): string {
  const ctx = currentRequest();
  const route = ctx?.oidc?.route;
  const grantType = ctx?.oidc?.params?.grant_type;
  if (route === "token" && grantType === "refresh_token") return "refresh token reused";
  if (route === "token" && grantType === "authorization_code") return "authorization code reused";
  if (route === "revocation") return "revoked through the revocation endpoint";
  return "token family revoked";
}

class TokenAdapter implements Adapter {
  constructor(private readonly kind: TokenKind) {}

  /**
   * Writes the token row and, for a token a client holds (not a code), its audit event, in one
   * statement (statements.ts): the issue and its record commit together, in the request's
   * transaction when it has one.
   */
  async upsert(id: string, payload: Payload, expiresIn: number): Promise<void> {
    const extra = (payload.extra ?? {}) as { tenant_id?: string; agent_id?: string; automation_client_id?: string };
    const clientId = String(payload.clientId);
    const hash = hashToken(id);
    forgetToken(hash);
    const { db } = await ambientDb();
    // A connected MCP client's code and refresh token belong to its agent in the grant's tenant.
    const connected =
      !extra.agent_id && typeof payload.grantId === "string" && isConnectedClientId(clientId)
        ? await db.grant.findUnique({ where: { id: payload.grantId }, select: { agentId: true, tenantId: true } })
        : null;
    const agentId = extra.agent_id ?? connected?.agentId ?? (isUuid(clientId) ? clientId : null);
    const tenantId =
      extra.tenant_id ??
      connected?.tenantId ??
      (agentId ? (await runStatement(AGENT_TENANT, [agentId], db))[0]?.tenant_id : null) ??
      null;
    const aud = payload.aud;
    // A token exchange (exchange.ts) hands over the chain above the new token, and its person's grant.
    const exchange = payload.gty === TOKEN_EXCHANGE ? exchangeRecordOf(currentRequest()) : undefined;
    const row = {
      id: randomUUID(),
      hash,
      kind: this.kind,
      clientId,
      agentId: extra.automation_client_id ? null : agentId,
      automationClientId: extra.automation_client_id ?? null,
      tenantId,
      subjectId: typeof payload.accountId === "string" && isUuid(payload.accountId) ? payload.accountId : null,
      grantId: exchange ? exchange.grantId : typeof payload.grantId === "string" ? payload.grantId : null,
      scopes: scopesOf(payload),
      audience: Array.isArray(aud) ? aud.join(" ") : typeof aud === "string" ? aud : null,
      expiresAt: expiry(expiresIn),
      payload: withoutValue(payload),
      ...(exchange
        ? {
            parentId: exchange.parentId,
            ancestors: exchange.ancestors,
            chainAgents: exchange.chainAgents,
            depth: exchange.depth,
          }
        : {}),
    };
    if (this.kind === "AUTHORIZATION_CODE") {
      await runStatement(UPSERT_TOKEN, tokenParams(row), db);
      return;
    }
    const grantType = currentRequest()?.oidc?.params?.grant_type;
    const event = buildEvent({
      action: exchange
        ? "oauth.token.exchanged"
        : this.kind === "REFRESH_TOKEN"
          ? "oauth.refresh_token.issued"
          : "oauth.token.issued",
      outcome: "success",
      actor: tokenActor(row),
      onBehalfOf: row.subjectId,
      tenantId: row.tenantId,
      target: { type: "token", id: row.id },
      data: {
        kind: row.kind,
        grant_type: typeof grantType === "string" ? grantType : null,
        scopes: row.scopes,
        audience: row.audience,
        subject: row.subjectId,
        grant: row.grantId,
        expires_at: row.expiresAt.toISOString(),
        ...(exchange
          ? {
              parent: exchange.parentId,
              depth: exchange.depth,
              chain: exchange.chainAgents,
              requested_scopes: exchange.requestedScopes,
            }
          : {}),
      },
      meta: currentMeta(),
    });
    if (exchange) {
      // An exchanged token is written only while its chain holds, in one statement with its event.
      const written = await runStatement(
        INSERT_EXCHANGED_TOKEN,
        [
          ...tokenParams(row),
          exchange.ancestors,
          [...new Set(exchange.chainAgents)],
          exchange.grantId,
          new Date(),
          ...eventParams(event),
        ],
        db,
      ).catch((error) => {
        if (chainBeingRevoked(error)) throw refuse(invalidGrant("the delegation chain is being revoked"), clientId);
        throw error;
      });
      if (!written.length) throw refuse(invalidGrant("the delegation chain was revoked while exchanging"), clientId);
      return;
    }
    const alone = async () => {
      await runStatement(UPSERT_TOKEN_AUDITED, [...tokenParams(row), ...eventParams(event)], db);
    };
    // Outside a transaction the token and its event are group-committed (server/audit/group-commit.ts),
    // one statement for the tokens issued at the same moment; a token written before (its row exists)
    // fails that statement's insert and is written alone, updated, as here in a transaction.
    const root = databaseOfClient(db);
    if (root) await appendGrouped(root, event, { row, alone });
    else await alone();
  }

  async find(id: string): Promise<Payload | undefined> {
    const row = await lookupToken(hashToken(id));
    if (!row || row.kind !== this.kind) return undefined;
    // Introspection, revocation and refresh present the token: the grant's "last used".
    if (row.grant_id) await touchGrant((await ambientDb()).db, row.grant_id);
    const payload = { ...(row.payload as Payload), jti: id };
    if (row.consumed_at) payload.consumed = epoch(new Date(row.consumed_at));
    return payload;
  }

  async findByUid(): Promise<undefined> {
    return undefined;
  }

  async findByUserCode(): Promise<undefined> {
    return undefined;
  }

  /**
   * Spends a refresh token or code, compare-and-set: of two requests racing with the same value
   * (on several instances, or one), exactly one spends it; the other is treated as reuse, which
   * revokes the whole family, as a replayed value must.
   */
  async consume(id: string): Promise<void> {
    const { db } = await ambientDb();
    const hash = hashToken(id);
    forgetToken(hash);
    const spent = await db.token.updateMany({ where: { hash, consumedAt: null }, data: { consumedAt: new Date() } });
    if (spent.count === 1) return;
    const row = await db.token.findUnique({ where: { hash }, select: { grantId: true } });
    const what = this.kind === "AUTHORIZATION_CODE" ? "authorization code" : "refresh token";
    if (row?.grantId) await revokeGrant(row.grantId, `${what} reused`);
    throw new errors.InvalidGrant(`${what} already used`);
  }

  async destroy(id: string): Promise<void> {
    const reason =
      currentRequest()?.oidc?.route === "revocation"
        ? "revoked by its client"
        : "destroyed by the authorization server";
    forgetToken(hashToken(id));
    await inTransaction(async (db) => {
      const row = await db.token.findUnique({ where: { hash: hashToken(id) } });
      if (!row || row.revokedAt) return;
      const now = new Date();
      await db.token.update({ where: { id: row.id }, data: { revokedAt: now, revokedReason: reason } });
      if (row.kind === "AUTHORIZATION_CODE") return;
      const downstream = await revokeBelowTokens(db, [row.id], reason, now);
      await recordAudit(db, {
        action: "oauth.token.revoked",
        outcome: "success",
        actor: tokenActor(row),
        tenantId: row.tenantId,
        target: { type: "token", id: row.id },
        reason,
        data: { kind: row.kind, grant: row.grantId, downstream_tokens_revoked: downstream },
        meta: currentMeta(),
      });
    });
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await revokeFamily(grantId, familyRevocationReason());
  }
}

/** Revokes every live token of a grant, recording it once (oidc-provider calls this per model). */
async function revokeFamily(grantId: string, reason: string): Promise<void> {
  forgetTokens();
  await inTransaction(async (db) => {
    const now = new Date();
    const tokens = await db.token.findMany({
      where: { grantId, revokedAt: null },
      select: { id: true, agentId: true, automationClientId: true, clientId: true, tenantId: true },
    });
    if (!tokens.length) return;
    await db.token.updateMany({ where: { grantId, revokedAt: null }, data: { revokedAt: now, revokedReason: reason } });
    const downstream = await revokeBelowTokens(
      db,
      tokens.map((t) => t.id),
      reason,
      now,
    );
    await recordAudit(db, {
      action: "oauth.token_family.revoked",
      outcome: "success",
      actor: tokenActor(tokens[0]),
      tenantId: tokens[0].tenantId,
      target: { type: "grant", id: grantId },
      reason,
      data: { tokens: tokens.length, downstream_tokens_revoked: downstream },
      meta: currentMeta(),
    });
  });
}

/** Marks a grant revoked and revokes every token of it, recorded, in one transaction. */
async function revokeGrant(id: string, reason: string): Promise<void> {
  await inTransaction(async (db) => {
    const grant = await db.grant.findUnique({ where: { id } });
    if (!grant || grant.revokedAt) return;
    await db.grant.update({ where: { id }, data: { revokedAt: new Date(), revokedReason: reason } });
    // Every write before the audit events: an event takes the audit chain's head, held until the
    // commit, and a write after it could wait on a token another transaction holds while that one
    // waits for the head (a deadlock, seen with racing refreshes on PostgreSQL).
    await revokeFamily(id, reason);
    await recordAudit(db, {
      action: "grant.revoked",
      outcome: "success",
      actor: { type: "system", label: "authorization server" },
      tenantId: grant.tenantId,
      target: { type: "grant", id },
      reason,
      data: { user: grant.userId, agent: grant.agentId },
      meta: currentMeta(),
    });
  });
}

class GrantAdapter implements Adapter {
  async upsert(id: string, payload: Payload, expiresIn: number): Promise<void> {
    const clientId = String(payload.clientId);
    const userId = String(payload.accountId);
    const { db } = await ambientDb();
    const data = {
      scopes: scopesOf(payload),
      payload: json(withoutValue(payload)),
      expiresAt: expiresIn ? expiry(expiresIn) : null,
    };
    // A connected client's grant row is written by the consent (interaction.ts), which knows the
    // tenant and the client's agent there; the provider only updates it.
    if (!isUuid(clientId)) {
      const { count } = await db.grant.updateMany({ where: { id }, data });
      if (count === 0) throw new Error(`grant ${id} of a connected client was not created by a consent`);
      return;
    }
    const agentId = clientId;
    const agent = await db.agent.findUnique({ where: { id: agentId }, select: { tenantId: true } });
    if (!agent) throw new Error(`grant for unknown agent ${agentId}`);
    await db.grant.upsert({
      where: { id },
      create: { id, userId, agentId, tenantId: agent.tenantId, ...data },
      update: data,
    });
  }

  async find(id: string): Promise<Payload | undefined> {
    const { db } = await ambientDb();
    const row = await db.grant.findFirst({
      where: { id, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] },
      select: { payload: true },
    });
    return row ? { ...(row.payload as Payload), jti: id } : undefined;
  }

  async findByUid(): Promise<undefined> {
    return undefined;
  }

  async findByUserCode(): Promise<undefined> {
    return undefined;
  }

  async consume(): Promise<void> {}

  /** A grant is never deleted: it is marked revoked, with its tokens, and stays on record. */
  async destroy(id: string): Promise<void> {
    await revokeGrant(id, familyRevocationReason());
  }

  async revokeByGrantId(): Promise<void> {}
}

class ClientAdapter implements Adapter {
  /** Only dynamic registration (DCR_ENABLED) writes a client; Mandate's own are its registry's. */
  async upsert(id: string, payload: Payload): Promise<void> {
    if (env().DCR_ENABLED !== "true" || !id.startsWith(DCR_CLIENT_PREFIX)) {
      throw new Error("clients are registered through Mandate, not through the authorization server");
    }
    await saveRegisteredClient(id, payload);
  }

  async find(id: string): Promise<Payload | undefined> {
    const { db } = await ambientDb();
    return (await clientMetadata(db as Db, id)) as Payload | undefined;
  }

  async findByUid(): Promise<undefined> {
    return undefined;
  }

  async findByUserCode(): Promise<undefined> {
    return undefined;
  }

  async consume(): Promise<void> {}

  async destroy(): Promise<void> {}

  async revokeByGrantId(): Promise<void> {}
}

/** Interactions, sessions, replay detection and whatever else the provider keeps for a while. */
class PayloadAdapter implements Adapter {
  constructor(private readonly model: string) {}

  async upsert(id: string, payload: Payload, expiresIn: number): Promise<void> {
    const { db } = await ambientDb();
    const key = payloadKey(this.model, id);
    const data = {
      model: this.model,
      uid: typeof payload.uid === "string" ? payload.uid : null,
      grantId: typeof payload.grantId === "string" ? payload.grantId : null,
      // A registration access token's value is its id: kept only as the key's hash.
      payload: json(this.model === "RegistrationAccessToken" ? withoutValue(payload) : payload),
      expiresAt: expiresIn ? expiry(expiresIn) : null,
    };
    if (this.model === "ReplayDetection") {
      // The library checks a proof's or client assertion's jti with find-then-save: two requests
      // with the same one at once (on two instances) could both pass the find. The save is the
      // check that holds: it takes the jti only if no row has it, and refuses the request if one does.
      const { count } = await db.oidcPayload.createMany({ data: [{ key, ...data }], skipDuplicates: true });
      if (count === 0) throw new errors.InvalidRequest("this proof or client assertion was already used (replay)");
      return;
    }
    await db.oidcPayload.upsert({ where: { key }, create: { key, ...data }, update: data });
  }

  async find(id: string): Promise<Payload | undefined> {
    const { db } = await ambientDb();
    const row = await db.oidcPayload.findUnique({ where: { key: payloadKey(this.model, id) } });
    const payload = this.live(row);
    return payload && this.model === "RegistrationAccessToken" ? { ...payload, jti: id } : payload;
  }

  async findByUid(uid: string): Promise<Payload | undefined> {
    const { db } = await ambientDb();
    const row = await db.oidcPayload.findFirst({ where: { model: this.model, uid } });
    return this.live(row);
  }

  async findByUserCode(): Promise<undefined> {
    return undefined;
  }

  async consume(id: string): Promise<void> {
    const { db } = await ambientDb();
    await db.oidcPayload.updateMany({ where: { key: payloadKey(this.model, id) }, data: { consumedAt: new Date() } });
  }

  async destroy(id: string): Promise<void> {
    const { db } = await ambientDb();
    await db.oidcPayload.deleteMany({ where: { key: payloadKey(this.model, id) } });
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    const { db } = await ambientDb();
    await db.oidcPayload.deleteMany({ where: { model: this.model, grantId } });
  }

  private live(row: { payload: unknown; expiresAt: Date | null; consumedAt: Date | null } | null): Payload | undefined {
    if (!row || (row.expiresAt && row.expiresAt <= new Date())) return undefined;
    const payload = { ...(row.payload as Payload) };
    if (row.consumedAt) payload.consumed = epoch(row.consumedAt);
    return payload;
  }
}

/** The adapter factory handed to oidc-provider: one instance per model name. */
export function adapterFor(model: string): Adapter {
  if (TOKEN_KINDS[model]) return new TokenAdapter(TOKEN_KINDS[model]);
  if (model === "Grant") return new GrantAdapter();
  if (model === "Client") return new ClientAdapter();
  return new PayloadAdapter(model);
}
