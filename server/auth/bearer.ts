import "server-only";

/**
 * The token of an `Authorization: Bearer <token>` header (RFC 6750 §2.1: one b64token, nothing
 * else), or null. The one place Mandate reads a bearer token; callers pass the header's value.
 */
export function bearerToken(authorization: string | null | undefined): string | null {
  const match = /^Bearer +([A-Za-z0-9._~+/-]+=*)$/i.exec((authorization ?? "").trim());
  return match ? match[1] : null;
}

/** The kinds of token that may be presented as a bearer: access tokens, never refresh tokens or codes. */
export const BEARER_KINDS = ["ACCESS_TOKEN", "CLIENT_CREDENTIALS"] as const;
