import "server-only";
import { importJWK, type JWK } from "jose";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { CLIENT_KEY_ALGORITHMS, createCredentialSchema } from "@/lib/schemas/agents";
import { reasonBodySchema } from "@/lib/schemas/reason";
import { isUuid, parseInput } from "@/lib/validation";
import { recordAudit } from "../audit/record";
import { actorOf } from "../auth/actor";
import type { Caller } from "../auth/caller";
import { prisma } from "../db";
import type { Prisma } from "../db/generated/client";
import { checkOutboundUrl, OutboundRefusedError } from "../net/guarded-fetch";
import { agentFor, assertNotRetired } from "./agent-access";
import { generateClientSecret } from "./secrets";

/** Live credentials an agent may hold at once: enough to rotate with overlap, few enough to review. */
export const MAX_LIVE_CREDENTIALS = 5;

const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "k", "oth"];

/** A public signing key for private_key_jwt, parsed by jose; private or symmetric keys are refused. */
async function publicKey(jwk: Record<string, unknown>): Promise<JWK> {
  const bad = (message: string) => new ValidationError({ jwk: [message] });
  if (PRIVATE_MEMBERS.some((m) => m in jwk)) throw bad("That is a private or symmetric key. Give the public key only.");
  if (!["RSA", "EC", "OKP"].includes(String(jwk.kty))) throw bad("kty must be RSA, EC or OKP.");
  if (typeof jwk.alg === "string" && !(CLIENT_KEY_ALGORITHMS as readonly string[]).includes(jwk.alg)) {
    throw bad(`alg must be one of ${CLIENT_KEY_ALGORITHMS.join(", ")}.`);
  }
  // Without an alg, the key's own shape decides: the curve for EC keys. RSA keys without an alg
  // stay without one, so that they sign with any RSA algorithm the authorization server allows.
  const curveAlg: Record<string, string> = { "P-256": "ES256", "P-384": "ES384", "P-521": "ES512" };
  const alg =
    typeof jwk.alg === "string"
      ? jwk.alg
      : jwk.kty === "RSA"
        ? "RS256"
        : jwk.kty === "EC"
          ? (curveAlg[String(jwk.crv)] ?? "ES256")
          : "EdDSA";
  try {
    await importJWK(jwk as JWK, alg);
  } catch (error) {
    throw bad(`Not a usable public key: ${(error as Error).message}`);
  }
  if (jwk.kty === "RSA" && Buffer.from(String(jwk.n), "base64url").length * 8 < 2048) {
    throw bad("RSA keys must be at least 2048 bits.");
  }
  const { kty, crv, x, y, n, e, kid, use } = jwk as Record<string, string | undefined>;
  const stored = { kty, crv, x, y, n, e, kid, use, alg: jwk.kty === "RSA" ? (jwk.alg as string | undefined) : alg };
  return Object.fromEntries(Object.entries(stored).filter(([, v]) => v !== undefined));
}

/**
 * Adds a credential. A client secret is returned here, once, and only its hash is stored; to
 * rotate, add a new credential, move the agent to it, then revoke the old one.
 */
export async function createCredential(caller: Caller, agentId: string, input: unknown) {
  const data = parseInput(createCredentialSchema, input);
  const key = data.type === "jwk" && data.jwk ? await publicKey(data.jwk) : null;
  // A JWKS URL naming a private, loopback or link-local address is refused now, not at the first
  // token request (the guarded fetcher checks again, on every fetch, against DNS as it is then).
  if (data.type === "jwk" && data.jwks_url) {
    try {
      checkOutboundUrl(data.jwks_url);
    } catch (error) {
      if (error instanceof OutboundRefusedError)
        throw new ValidationError({ jwks_url: [`Refused: ${error.message}.`] });
      throw error;
    }
  }
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const agent = await agentFor(tx, caller, agentId, "agents.write", { owners: true });
    assertNotRetired(agent);
    if (agent.kind === "MCP_CLIENT") {
      throw new ConflictError(
        "An MCP client authenticates as itself (its metadata document or registration) and gets tokens through people's consent: it takes no credentials.",
      );
    }
    const live = await tx.credential.count({
      where: { agentId: agent.id, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] },
    });
    if (live >= MAX_LIVE_CREDENTIALS) {
      throw new ConflictError(`An agent holds at most ${MAX_LIVE_CREDENTIALS} live credentials. Revoke one first.`);
    }
    const actor = actorOf(caller);
    const generated = data.type === "client_secret" ? generateClientSecret() : null;
    const credential = await tx.credential.create({
      data: {
        agentId: agent.id,
        tenantId: agent.tenantId,
        type: generated ? "CLIENT_SECRET" : key ? "JWK" : "JWKS_URL",
        label: data.label,
        secretPrefix: generated?.prefix ?? null,
        secretHash: generated?.hash ?? null,
        publicJwk: (key as Prisma.InputJsonValue) ?? undefined,
        jwksUrl: data.type === "jwk" ? (data.jwks_url ?? null) : null,
        expiresAt: data.expires_at ?? null,
        createdById: actor.id,
        createdByLabel: actor.label,
      },
    });
    await recordAudit(tx, {
      action: "agent.credential.create",
      outcome: "success",
      actor,
      tenantId: agent.tenantId,
      target: { type: "credential", id: credential.id },
      data: {
        after: {
          agent_id: agent.id,
          type: credential.type.toLowerCase(),
          label: credential.label,
          hint: credential.secretPrefix ?? credential.jwksUrl ?? key?.kid ?? null,
          expires_at: credential.expiresAt?.toISOString() ?? null,
        },
      },
    });
    return { credential, secret: generated?.secret ?? null };
  });
}

export async function revokeCredential(
  caller: Caller,
  agentId: string,
  credentialId: string,
  input: { reason?: unknown },
) {
  const { reason } = parseInput(reasonBodySchema, { reason: input.reason });
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const agent = await agentFor(tx, caller, agentId, "agents.write", { owners: true });
    const credential = isUuid(credentialId)
      ? await tx.credential.findFirst({ where: { id: credentialId, agentId: agent.id } })
      : null;
    if (!credential) throw new NotFoundError("credential");
    if (credential.revokedAt) throw new ConflictError("This credential is already revoked.");
    const updated = await tx.credential.update({
      where: { id: credential.id },
      data: { revokedAt: new Date(), revokedReason: reason },
    });
    await recordAudit(tx, {
      action: "agent.credential.revoke",
      outcome: "success",
      actor: actorOf(caller),
      tenantId: agent.tenantId,
      target: { type: "credential", id: credential.id },
      reason,
      data: { agent_id: agent.id },
    });
    return updated;
  });
}
