// How the agent proves who it is at the token, introspection and revocation endpoints: a client
// secret (HTTP Basic or in the body) or private_key_jwt (RFC 7523), a fresh assertion each time.

import { importJWK, type JWK, type KeyObject, SignJWT } from "jose";
import { MandateError } from "./errors.js";

export interface ClientSecretCredentials {
  issuer: string;
  /** The agent's id in Mandate. */
  clientId: string;
  /** `mandate_sk_...`, shown once when the credential was created. */
  clientSecret: string;
  /** How the secret is sent; `client_secret_basic` unless told. */
  authMethod?: "client_secret_basic" | "client_secret_post";
}

export interface PrivateKeyCredentials {
  issuer: string;
  clientId: string;
  /** The private half of a key whose public JWK is registered in Mandate: a JWK, CryptoKey or KeyObject. */
  privateKey: JWK | CryptoKey | KeyObject;
  /** Sent as the `kid` header; the JWK's own `kid` unless told. Leave unset if the registered key has none. */
  keyId?: string;
  /** Signing algorithm; inferred from the key (ES256, RS256, EdDSA, ...) unless told. */
  algorithm?: string;
}

export type MandateCredentials = ClientSecretCredentials | PrivateKeyCredentials;

/**
 * Adds a client's authentication to a request's headers and form body. `issuer` is the discovered
 * issuer identifier, the audience of a client assertion at every endpoint.
 */
export type ClientAuth = (headers: Headers, body: URLSearchParams, issuer: string) => Promise<void>;

/** RFC 6749 §2.3.1: both halves are form-urlencoded before they are joined and base64-encoded. */
function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, "+");
}

export function clientAuth(credentials: MandateCredentials): ClientAuth {
  if ("clientSecret" in credentials) {
    const { clientId, clientSecret, authMethod = "client_secret_basic" } = credentials;
    if (authMethod === "client_secret_post") {
      return async (_headers, body) => {
        body.set("client_id", clientId);
        body.set("client_secret", clientSecret);
      };
    }
    const basic = `Basic ${btoa(`${formEncode(clientId)}:${formEncode(clientSecret)}`)}`;
    return async (headers) => {
      headers.set("authorization", basic);
    };
  }
  return privateKeyJwt(credentials);
}

function privateKeyJwt(credentials: PrivateKeyCredentials): ClientAuth {
  const { clientId, privateKey } = credentials;
  const alg = credentials.algorithm ?? algorithmOf(privateKey);
  const kid = credentials.keyId ?? (isJwk(privateKey) ? privateKey.kid : undefined);
  if (isJwk(privateKey) ? !privateKey.d : (privateKey as { type?: string }).type !== "private") {
    throw new MandateError("privateKey must be a private key; Mandate holds the public half");
  }
  // Imported once: a JWK would otherwise be parsed again for every assertion.
  let key: Promise<CryptoKey | KeyObject | Uint8Array> | undefined;
  const signingKey = () => {
    key ??= isJwk(privateKey) ? importJWK(privateKey, alg) : Promise.resolve(privateKey);
    return key;
  };
  return async (_headers, body, issuer) => {
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({})
      .setProtectedHeader(kid ? { alg, kid } : { alg })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(issuer)
      .setJti(crypto.randomUUID())
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(await signingKey());
    body.set("client_id", clientId);
    body.set("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    body.set("client_assertion", assertion);
  };
}

function isJwk(key: unknown): key is JWK {
  return typeof key === "object" && key !== null && "kty" in key;
}

const CURVE_ALGORITHMS: Record<string, string> = {
  "P-256": "ES256",
  "P-384": "ES384",
  "P-521": "ES512",
  prime256v1: "ES256",
  secp384r1: "ES384",
  secp521r1: "ES512",
  Ed25519: "EdDSA",
};

/** The usual algorithm for a key: ES256 for P-256, RS256 for RSA, EdDSA for Ed25519. */
export function algorithmOf(key: JWK | CryptoKey | KeyObject): string {
  const guess = (() => {
    if (isJwk(key)) {
      if (key.alg) return key.alg;
      if (key.kty === "RSA") return "RS256";
      return key.crv ? CURVE_ALGORITHMS[key.crv] : undefined;
    }
    if ("algorithm" in key) {
      const { name, namedCurve } = key.algorithm as { name: string; namedCurve?: string };
      if (name === "ECDSA" && namedCurve) return CURVE_ALGORITHMS[namedCurve];
      if (name === "RSASSA-PKCS1-v1_5") return "RS256";
      if (name === "RSA-PSS") return "PS256";
      if (name === "Ed25519") return "EdDSA";
      return undefined;
    }
    const node = key as { asymmetricKeyType?: string; asymmetricKeyDetails?: { namedCurve?: string } };
    if (node.asymmetricKeyType === "rsa") return "RS256";
    if (node.asymmetricKeyType === "rsa-pss") return "PS256";
    if (node.asymmetricKeyType === "ed25519") return "EdDSA";
    const curve = node.asymmetricKeyDetails?.namedCurve;
    return node.asymmetricKeyType === "ec" && curve ? CURVE_ALGORITHMS[curve] : undefined;
  })();
  if (!guess) throw new MandateError("cannot tell the signing algorithm from this key: pass `algorithm`");
  return guess;
}
