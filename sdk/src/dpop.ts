// DPoP (RFC 9449) for the SDK: the agent's side (a key, and a fresh proof for every request it
// sends: to the token endpoint, and with a bound token to Mandate's API or any resource server),
// and the resource server's side (verifying a proof against the token's `cnf.jkt`).

import {
  base64url,
  calculateJwkThumbprint,
  decodeJwt,
  EmbeddedJWK,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  jwtVerify,
  type KeyObject,
  SignJWT,
} from "jose";
import { algorithmOf } from "./client-auth.js";
import { MandateError } from "./errors.js";

/** The key an agent binds its tokens to: its private half signs the proofs, the public half rides in them. */
export interface DpopKey {
  privateKey: JWK | CryptoKey | KeyObject;
  /** The public JWK (no private members): the proofs carry it and Mandate binds the token to its thumbprint. */
  publicJwk: JWK;
  /** Signing algorithm; inferred from the key (ES256 for P-256, ...) unless told. */
  algorithm?: string;
}

/** Algorithms Mandate accepts for DPoP proofs (asymmetric only). */
export const DPOP_ALGORITHMS = [
  "ES256",
  "ES384",
  "ES512",
  "PS256",
  "PS384",
  "PS512",
  "RS256",
  "RS384",
  "RS512",
  "EdDSA",
  "Ed25519",
];

/** How far a proof's `iat` may be from the verifier's clock, either way, in seconds. */
export const DPOP_IAT_WINDOW_SECONDS = 60;

function isJwk(key: unknown): key is JWK {
  return typeof key === "object" && key !== null && "kty" in key;
}

const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

/** base64url(SHA-256(token)): the `ath` of a proof sent with that access token. */
export async function accessTokenHash(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return base64url.encode(new Uint8Array(digest));
}

/** The URL as a proof names it: without query and fragment (RFC 9449 §4.2). */
export function htuOf(url: string | URL): string {
  const u = new URL(String(url));
  u.search = "";
  u.hash = "";
  return u.href;
}

/** Makes the proofs for one key. A generated key (no argument) is ES256, kept in memory only. */
export class DpopSigner {
  private key?: Promise<{ sign: CryptoKey | KeyObject | Uint8Array; jwk: JWK; alg: string; jkt: string }>;

  constructor(private readonly given?: DpopKey) {
    if (given && PRIVATE_MEMBERS.some((m) => m in given.publicJwk)) {
      throw new MandateError("dpop.publicJwk must be the public half only");
    }
  }

  private load() {
    this.key ??= (async () => {
      if (!this.given) {
        const pair = await generateKeyPair("ES256");
        const jwk = await exportJWK(pair.publicKey);
        return { sign: pair.privateKey, jwk, alg: "ES256", jkt: await calculateJwkThumbprint(jwk) };
      }
      const { privateKey, publicJwk } = this.given;
      const alg = this.given.algorithm ?? algorithmOf(publicJwk);
      const sign = isJwk(privateKey) ? await importJWK(privateKey, alg) : privateKey;
      const jwk = Object.fromEntries(
        Object.entries(publicJwk).filter(([k]) => !PRIVATE_MEMBERS.includes(k) && k !== "alg" && k !== "use"),
      ) as JWK;
      return { sign, jwk, alg, jkt: await calculateJwkThumbprint(jwk) };
    })();
    return this.key;
  }

  /** The RFC 7638 thumbprint of the public key: what a bound token's `cnf.jkt` is. */
  async thumbprint(): Promise<string> {
    return (await this.load()).jkt;
  }

  /**
   * A fresh proof for one request: its method and URL, the access token it carries (`ath`), and
   * the server's nonce when it handed one out (RFC 9449 §8, §9).
   */
  async proof(method: string, url: string | URL, accessToken?: string, nonce?: string): Promise<string> {
    const { sign, jwk, alg } = await this.load();
    return new SignJWT({
      htm: method.toUpperCase(),
      htu: htuOf(url),
      ...(accessToken ? { ath: await accessTokenHash(accessToken) } : {}),
      ...(nonce ? { nonce } : {}),
    })
      .setProtectedHeader({ alg, typ: "dpop+jwt", jwk })
      .setJti(crypto.randomUUID())
      .setIssuedAt()
      .sign(sign);
  }
}

/**
 * Verifies the proof of a request that carries a DPoP-bound token (RFC 9449 §4.3, §7.1): signed
 * by the key the token is bound to (`jkt`), for this method and URL, recent, for this token
 * (`ath`), never seen before (`seen`: the caller's replay memory). Returns null when it passes, or
 * what is wrong.
 */
export async function checkDpopProof(
  proof: string | null | undefined,
  expected: { method: string; url: string; accessToken: string; jkt: string },
  seen: (jkt: string, jti: string, until: number) => boolean,
): Promise<string | null> {
  if (!proof) return "no DPoP proof was sent";
  if (proof.includes(",") || proof.length > 8192) return "the DPoP header must hold one proof JWT";
  let payload: Record<string, unknown>;
  let jwk: JWK;
  try {
    const verified = await jwtVerify(proof, EmbeddedJWK, { typ: "dpop+jwt", algorithms: DPOP_ALGORITHMS });
    payload = verified.payload;
    jwk = verified.protectedHeader.jwk as JWK;
  } catch (error) {
    return `the DPoP proof does not verify (${(error as Error).message})`;
  }
  const { jti, iat, htm, htu, ath } = payload;
  if (typeof jti !== "string" || !jti || jti.length > 256) return "the DPoP proof has no usable jti";
  if (typeof iat !== "number") return "the DPoP proof has no iat";
  if (Math.abs(Date.now() / 1000 - iat) > DPOP_IAT_WINDOW_SECONDS) return "the DPoP proof is not recent";
  if (htm !== expected.method.toUpperCase()) return `the DPoP proof is for ${String(htm)}`;
  let htuMatches = false;
  try {
    htuMatches = typeof htu === "string" && htuOf(htu) === htuOf(expected.url);
  } catch {
    htuMatches = false;
  }
  if (!htuMatches) return `the DPoP proof is for ${String(htu)}, not ${htuOf(expected.url)}`;
  if (ath !== (await accessTokenHash(expected.accessToken))) return "the DPoP proof's ath does not match the token";
  if ((await calculateJwkThumbprint(jwk)) !== expected.jkt) return "the DPoP proof is signed by another key";
  if (seen(expected.jkt, jti, iat + DPOP_IAT_WINDOW_SECONDS + 1)) return "the DPoP proof was already used";
  return null;
}

/**
 * A replay memory for one process: each (key, jti) once until the proof could no longer pass the
 * window. Several processes behind one name each keep their own (a proof replayed to another of
 * them would pass there): run one, or put a shared store behind `seen` yourself.
 */
export function processReplayMemory(limit = 100_000): (jkt: string, jti: string, until: number) => boolean {
  const entries = new Map<string, number>();
  return (jkt, jti, until) => {
    const now = Date.now() / 1000;
    if (entries.size >= limit) {
      for (const [k, expiry] of entries) if (expiry <= now) entries.delete(k);
    }
    const key = `${jkt} ${jti}`;
    const expiry = entries.get(key);
    if (expiry !== undefined && expiry > now) return true;
    // Full of live entries: refuse rather than forget one (a forgotten jti could be replayed).
    if (entries.size >= limit) return true;
    entries.set(key, until);
    return false;
  };
}

/** The one-minute step a resource server's DPoP nonce belongs to. */
export const nonceStep = (now = Date.now()) => Math.floor(now / 60_000);

/** A resource server's DPoP nonce for a step: HMAC-SHA256 of the step under its secret, base64url. */
export async function dpopNonceAt(secret: string, step: number): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`mandate-rs-dpop-nonce:${step}`));
  return base64url.encode(new Uint8Array(mac));
}

/** Whether a proof carries a nonce of this server from this step or the two before. */
export async function nonceAccepted(secret: string, proof: string | null | undefined): Promise<boolean> {
  let nonce: unknown;
  try {
    nonce = proof ? decodeJwt(proof).nonce : undefined;
  } catch {
    return false;
  }
  if (typeof nonce !== "string") return false;
  const now = nonceStep();
  for (const step of [now, now - 1, now - 2]) if ((await dpopNonceAt(secret, step)) === nonce) return true;
  return false;
}
