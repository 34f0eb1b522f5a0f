import "server-only";
import { createHash } from "node:crypto";

/** What is stored for a token: the SHA-256 of its value. Tokens are 256-bit random, so no salt. */
export function hashToken(value: string): string {
  return createHash("sha256").update(value).digest("base64url");
}

/** The key of a provider payload (interaction, session…): its id is a cookie value, so hashed too. */
export function payloadKey(model: string, id: string): string {
  return hashToken(`${model}:${id}`);
}
