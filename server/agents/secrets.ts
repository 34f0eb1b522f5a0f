import "server-only";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

// Client secrets: 256 random bits behind a recognisable prefix, with a CRC-32 check so that secret
// scanners can tell a real leaked Mandate secret from a look-alike (as GitHub's tokens do).
// High-entropy secrets need no slow hash: SHA-256 is what is stored, and it is what is looked up.
export const SECRET_PREFIX = "mandate_sk_";
const BODY = /^mandate_sk_([A-Za-z0-9_-]{43})([0-9a-f]{8})$/;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(text: string): string {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text)) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return ((crc ^ 0xffffffff) >>> 0).toString(16).padStart(8, "0");
}

export function generateClientSecret(): { secret: string; prefix: string; hash: string } {
  const body = randomBytes(32).toString("base64url");
  const secret = `${SECRET_PREFIX}${body}${crc32(body)}`;
  return { secret, prefix: `${secret.slice(0, SECRET_PREFIX.length + 4)}…`, hash: hashSecret(secret) };
}

/** True when the text has the shape and checksum of a Mandate secret (scanners, quick rejects). */
export function looksLikeClientSecret(text: string): boolean {
  const m = BODY.exec(text);
  return !!m && crc32(m[1]) === m[2];
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function secretMatches(secret: string, hash: string): boolean {
  const a = Buffer.from(hashSecret(secret), "hex");
  const b = Buffer.from(hash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}
