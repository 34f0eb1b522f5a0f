import "server-only";
import { createECDH, createHmac, createSecretKey, hkdfSync, randomBytes } from "node:crypto";

// Every instance derives the same keys from AUTH_SECRET (which several instances must share
// anyway), so nothing key-shaped is stored and no instance can drift from another.

function derive(secret: string, info: string, length = 32): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "mandate-authorization-server", info, length));
}

/** The P-256 key oidc-provider signs with (JWT responses; access tokens themselves are opaque). */
export function signingJwk(secret: string) {
  const ecdh = createECDH("prime256v1");
  ecdh.setPrivateKey(derive(secret, "signing-key-es256"));
  const pub = ecdh.getPublicKey(undefined, "uncompressed");
  return {
    kty: "EC",
    crv: "P-256",
    alg: "ES256",
    use: "sig",
    kid: derive(secret, "signing-key-id", 12).toString("base64url"),
    d: ecdh.getPrivateKey().toString("base64url"),
    x: pub.subarray(1, 33).toString("base64url"),
    y: pub.subarray(33, 65).toString("base64url"),
  };
}

/** Keys for the authorization server's signed cookies (interaction and session). */
export function cookieKeys(secret: string): string[] {
  return [derive(secret, "cookie-key").toString("base64url")];
}

// A key object, made once: createHmac() would otherwise re-import raw bytes on every client lookup.
const placeholderKey = createSecretKey(randomBytes(32));

/**
 * What oidc-provider holds as a client's secret: a per-process random value that no client
 * knows. Real secrets are checked against their stored hashes (clients.ts).
 */
export function secretPlaceholder(clientId: string): string {
  return createHmac("sha256", placeholderKey).update(clientId).digest("base64url");
}
