import "server-only";
import { createHash, hkdfSync, timingSafeEqual } from "node:crypto";
import { calculateJwkThumbprint, decodeJwt, EmbeddedJWK, type JWK, jwtVerify } from "jose";
import { env } from "@/lib/env";
import { CLIENT_KEY_ALGORITHMS } from "@/lib/schemas/agents";
import { unstorableAt } from "@/lib/text/storable";
import type { Db } from "../db";
import { runStatement } from "../db/statement";
import { SPEND_DPOP_PROOF } from "./statements";

// DPoP (RFC 9449) as Mandate's own resources check it: the decision API verifies the proof that
// comes with a DPoP-bound token (and the token exchange the proof that binds its new token). The
// authorization server's own endpoints are oidc-provider's (features.dPoP in provider.ts).
//
// Freshness: a proof's `iat` must be within DPOP_IAT_WINDOW_SECONDS of the server's clock, and its
// `jti` is accepted once per key across all instances (the dpop_proofs table, pruned by the
// maintenance job). With DPOP_NONCE_SECRET set, a proof must also carry a nonce the server handed
// out (RFC 9449 §8, §9): oidc-provider's own at the token endpoint (features.dPoP.nonceSecret),
// and here an HMAC of the secret and the current five-minute slot, the same on every instance, so
// a nonce is valid until the slot after the one it was made in ends. Without the secret no nonce
// is handed out, and a proof that carries one is refused.

/** Asymmetric algorithms a proof may be signed with: those a client key may use. */
export const DPOP_ALGORITHMS: readonly string[] = CLIENT_KEY_ALGORITHMS;

/** How far a proof's `iat` may be from the server's clock, either way, in seconds. */
export const DPOP_IAT_WINDOW_SECONDS = 60;

/** A proof longer than this is refused unread (an RSA-4096 key's proof is under 2 kB). */
const MAX_PROOF_LENGTH = 8192;
const MAX_JTI_LENGTH = 256;

export class DpopProofError extends Error {}

/** The proof lacks a nonce, or carries a stale one: the answer hands out a fresh one (DPoP-Nonce). */
export class DpopNonceError extends DpopProofError {}

/**
 * Nonces are derived as oidc-provider derives its own (HKDF-SHA256 of a 32-byte secret over
 * one-minute steps, info "DPoP", accepted two steps either way), so that a token exchange accepts
 * the token endpoint's nonces and the decision API hands out its own (another key: RFC 9449 §9
 * keeps a resource server's nonces apart from the authorization server's).
 */
const NONCE_STEP_SECONDS = 60;
const NONCE_STEPS_ACCEPTED = 2;

/** A 32-byte key derived from DPOP_NONCE_SECRET for one use ("token": the token endpoint's; "resource": ours). */
export function dpopNonceKey(secret: string, use: NonceUse): Buffer {
  return createHash("sha256").update(`mandate-dpop-nonce:${use}:${secret}`).digest();
}

export type NonceUse = "token" | "resource";

function nonceAt(key: Buffer, step: number): string {
  const salt = Buffer.alloc(8);
  salt.writeBigUInt64BE(BigInt(step));
  return Buffer.from(hkdfSync("sha256", key, salt, "DPoP", 32)).toString("base64url");
}

const stepOf = (now: Date) => Math.floor(now.getTime() / 1000 / NONCE_STEP_SECONDS);

/** The nonce to hand out now for a use, when nonces are configured (DPOP_NONCE_SECRET); else null. */
export function currentDpopNonce(use: NonceUse = "resource", now = new Date()): string | null {
  const secret = env().DPOP_NONCE_SECRET;
  return secret ? nonceAt(dpopNonceKey(secret, use), stepOf(now)) : null;
}

function nonceAccepted(nonce: string, use: NonceUse, now: Date): boolean {
  const secret = env().DPOP_NONCE_SECRET;
  if (!secret) return false;
  const key = dpopNonceKey(secret, use);
  const given = Buffer.from(nonce);
  let ok = false;
  for (let d = -NONCE_STEPS_ACCEPTED; d <= NONCE_STEPS_ACCEPTED; d++) {
    const expected = Buffer.from(nonceAt(key, stepOf(now) + d));
    if (expected.length === given.length && timingSafeEqual(expected, given)) ok = true;
  }
  return ok;
}

export interface VerifiedProof {
  /** The RFC 7638 thumbprint (SHA-256) of the proof's public key: what a bound token's `cnf.jkt` is. */
  jkt: string;
  jti: string;
  iat: number;
}

/** base64url(SHA-256(token)): a proof's `ath` for the access token it comes with. */
export function accessTokenHash(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

/** The URL without query and fragment (RFC 9449 §4.3), or null when it is not one. */
function comparableUrl(value: string): string | null {
  try {
    const url = new URL(value);
    url.search = "";
    url.hash = "";
    return url.href;
  } catch {
    return null;
  }
}

/**
 * Verifies a DPoP proof JWT for a request (RFC 9449 §4.3): `typ` dpop+jwt, an asymmetric `alg`,
 * an embedded public `jwk` that verifies the signature, `htm` and `htu` naming this request,
 * `iat` within the window, a `jti`, and `ath` for the access token when one is presented. Throws
 * DpopProofError with what is wrong; the jti is not spent here (spendDpopProof()).
 */
export async function verifyDpopProof(
  proof: string,
  request: { method: string; url: string; accessToken?: string; now?: Date; nonceUse?: NonceUse; relayed?: boolean },
): Promise<VerifiedProof> {
  if (proof.length > MAX_PROOF_LENGTH || proof.includes(",")) {
    throw new DpopProofError("the DPoP header must hold one proof JWT");
  }
  let payload: Record<string, unknown>;
  let jwk: JWK;
  try {
    const verified = await jwtVerify(proof, EmbeddedJWK, { typ: "dpop+jwt", algorithms: [...DPOP_ALGORITHMS] });
    payload = verified.payload;
    jwk = verified.protectedHeader.jwk as JWK;
  } catch (error) {
    throw new DpopProofError(`the DPoP proof does not verify (${(error as Error).message})`);
  }
  const { jti, iat, htm, htu, ath, nonce } = payload;
  if (typeof jti !== "string" || !jti || jti.length > MAX_JTI_LENGTH || unstorableAt(jti) !== -1) {
    throw new DpopProofError("the DPoP proof has no usable jti");
  }
  if (typeof iat !== "number" || !Number.isFinite(iat)) throw new DpopProofError("the DPoP proof has no iat");
  const now = Math.floor((request.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - iat) > DPOP_IAT_WINDOW_SECONDS) {
    throw new DpopProofError(`the DPoP proof's iat is more than ${DPOP_IAT_WINDOW_SECONDS} s from the server's clock`);
  }
  if (request.relayed) {
    // A proof made for a resource server and forwarded by it: its nonce, if any, was that server's.
  } else if (env().DPOP_NONCE_SECRET) {
    if (typeof nonce !== "string" || !nonce) throw new DpopNonceError("the DPoP proof must carry the server's nonce");
    if (!nonceAccepted(nonce, request.nonceUse ?? "resource", request.now ?? new Date())) {
      throw new DpopNonceError("the DPoP proof's nonce is not one this server handed out, or has expired");
    }
  } else if (nonce !== undefined) {
    throw new DpopProofError("the DPoP proof carries a nonce, and this server issues none");
  }
  if (htm !== request.method) throw new DpopProofError(`the DPoP proof is for ${String(htm)}, not ${request.method}`);
  const expected = comparableUrl(request.url);
  if (typeof htu !== "string" || comparableUrl(htu) !== expected) {
    throw new DpopProofError(`the DPoP proof is for ${typeof htu === "string" ? htu : "no URL"}, not ${expected}`);
  }
  if (request.accessToken !== undefined && ath !== accessTokenHash(request.accessToken)) {
    throw new DpopProofError("the DPoP proof's ath is not the hash of the access token presented");
  }
  return { jkt: await calculateJwkThumbprint(jwk, "sha256"), jti, iat };
}

/**
 * Accepts a proof's jti once per key, on every instance: true the first time, false for a replay.
 * The row lives until the proof's iat could no longer pass the window.
 */
export async function spendDpopProof(proof: VerifiedProof, db?: Db): Promise<boolean> {
  const until = new Date((proof.iat + DPOP_IAT_WINDOW_SECONDS + 1) * 1000);
  const rows = await runStatement(SPEND_DPOP_PROOF, [proof.jkt, proof.jti, until], db);
  return rows.length === 1;
}

/** How a request presented its access token: the Authorization scheme and the DPoP header. */
export interface DpopPresentation {
  scheme: "bearer" | "dpop";
  /** The DPoP header as sent, or null. */
  proof: string | null;
}

export type DpopRefusalCode = "dpop_required" | "dpop_invalid" | "use_dpop_nonce";

/**
 * The DPoP check of a resource request, one call: the token (its value), how it was presented,
 * what its row says (`jkt`: the key it is bound to; `required`: its agent or tenant requires
 * binding) and the request's method and URL. Null when the request passes; otherwise the refusal's
 * code and a sentence. A bound token needs the DPoP scheme and a valid, unspent proof by its key;
 * an unbound one is refused where binding is required, and refused when presented as DPoP.
 */
export async function dpopRefusal(
  token: string,
  presented: DpopPresentation,
  bound: { jkt: string | null; required: boolean },
  request: { method: string; url: string; relayed?: boolean },
  db?: Db,
): Promise<{ code: DpopRefusalCode; reason: string; nonce?: string } | null> {
  const invalid = (why: string) => ({ code: "dpop_invalid" as const, reason: `DPoP check failed: ${why}.` });
  if (!bound.jkt) {
    if (bound.required) {
      return {
        code: "dpop_required",
        reason: "This agent must use DPoP-bound tokens: ask for a token with a DPoP proof (RFC 9449).",
      };
    }
    return presented.scheme === "dpop" ? invalid("the access token is not DPoP-bound; send it as Bearer") : null;
  }
  if (presented.scheme !== "dpop") {
    return invalid("the access token is DPoP-bound; send it as Authorization: DPoP with a DPoP proof");
  }
  if (!presented.proof) return invalid("no DPoP proof header was sent");
  let proof: VerifiedProof;
  try {
    proof = await verifyDpopProof(presented.proof, { ...request, accessToken: token });
  } catch (error) {
    if (error instanceof DpopNonceError) {
      return {
        code: "use_dpop_nonce",
        reason: `DPoP check failed: ${error.message}; send the proof again with the nonce in DPoP-Nonce.`,
        nonce: currentDpopNonce("resource") as string,
      };
    }
    if (error instanceof DpopProofError) return invalid(error.message);
    throw error;
  }
  if (proof.jkt !== bound.jkt) return invalid("the DPoP proof is signed by another key than the token is bound to");
  if (!(await spendDpopProof(proof, db))) return invalid("the DPoP proof was already used (replay)");
  return null;
}

/** The token of an `Authorization: DPoP <token>` header (RFC 9449 §7.1), or null. */
export function dpopToken(authorization: string | null | undefined): string | null {
  const match = /^DPoP +([A-Za-z0-9._~+/-]+=*)$/i.exec((authorization ?? "").trim());
  return match ? match[1] : null;
}

/**
 * The DPoP check of a token relayed by the resource server it is for (an MCP server asking before
 * a tool call): a bound token comes with the proof its caller sent that server, forwarded, which
 * must be for a URL of that server (the token's audience: its origin, and its path or below), by
 * the token's key, for this token, recent, and not seen here before (its jti is spent here too, so
 * a request captured at the resource server cannot be replayed at Mandate).
 */
export async function relayedDpopRefusal(
  token: string,
  presented: DpopPresentation,
  bound: { jkt: string | null; required: boolean },
  audience: string,
  db?: Db,
): Promise<{ code: DpopRefusalCode; reason: string; nonce?: string } | null> {
  if (!bound.jkt || presented.scheme !== "dpop" || !presented.proof) {
    return dpopRefusal(token, presented, bound, { method: "POST", url: audience, relayed: true }, db);
  }
  let claims: { htm?: unknown; htu?: unknown };
  try {
    claims = decodeJwt(presented.proof);
  } catch {
    return { code: "dpop_invalid", reason: "DPoP check failed: the forwarded DPoP proof is not a JWT." };
  }
  const htu = typeof claims.htu === "string" ? comparableUrl(claims.htu) : null;
  const base = comparableUrl(audience);
  const within = !!htu && !!base && (htu === base || htu.startsWith(base.endsWith("/") ? base : `${base}/`));
  if (!within || typeof claims.htm !== "string") {
    return {
      code: "dpop_invalid",
      reason: `DPoP check failed: the forwarded DPoP proof is not for ${audience}, the resource the token is for.`,
    };
  }
  return dpopRefusal(token, presented, bound, { method: claims.htm, url: htu as string, relayed: true }, db);
}
