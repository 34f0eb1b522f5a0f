import type { FetchLike, RetryPolicy } from "./http.js";

export interface MandateClientOptions {
  /** Used for every request, to the authorization server and through `client.fetch`; global fetch unless told. */
  fetch?: FetchLike;
  retry?: Partial<RetryPolicy>;
  /** Scopes to ask for. Without it the token carries none: Mandate issues only the scopes asked for. */
  scope?: string | string[];
  /** The API the token is for (RFC 8707 resource indicator); Mandate's own API unless told. */
  resource?: string;
  /** A cached token is replaced once it is this close to expiry. */
  refreshSkewSeconds?: number;
}

export interface TokenSet {
  access_token: string;
  token_type: string;
  /** Seconds since the epoch, reckoned from when the request was sent. */
  expires_at: number;
  /** Space-separated scopes the token carries. */
  scope: string;
  /** Present for user-delegated agents: the newest refresh token (the one used is now spent). */
  refresh_token?: string;
}

/** RFC 7662 introspection answer; Mandate adds tenant_id and agent_id. */
export interface IntrospectionResponse {
  active: boolean;
  client_id?: string;
  scope?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  iat?: number;
  iss?: string;
  token_type?: string;
  tenant_id?: string;
  agent_id?: string;
  [claim: string]: unknown;
}

export type TokenTypeHint = "access_token" | "refresh_token";

export interface AuthorizationServerMetadata {
  issuer: string;
  token_endpoint: string;
  introspection_endpoint?: string;
  revocation_endpoint?: string;
  [field: string]: unknown;
}
