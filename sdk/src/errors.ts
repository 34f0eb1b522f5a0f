// What can go wrong, typed so an agent can tell "fix your configuration" from "try again later".

/** Base class of every error the SDK throws on purpose. */
export class MandateError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "MandateError";
  }
}

/**
 * The authorization server answered with an error: an OAuth error body (RFC 6749 §5.2) such as
 * invalid_client or invalid_grant, or a 429/5xx that was still failing after the retries.
 */
export class MandateOAuthError extends MandateError {
  readonly error: string;
  readonly error_description?: string;
  readonly status: number;
  /** How long the server asked the client to wait (Retry-After), when it did. */
  readonly retryAfterMs?: number;

  constructor(init: { error: string; error_description?: string; status: number; retryAfterMs?: number }) {
    super(init.error_description ? `${init.error}: ${init.error_description}` : `${init.error} (HTTP ${init.status})`);
    this.name = "MandateOAuthError";
    this.error = init.error;
    this.error_description = init.error_description;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** The authorization server could not be reached (after the retries); `cause` is fetch's error. */
export class MandateNetworkError extends MandateError {
  constructor(url: string, cause: unknown) {
    super(`could not reach ${url}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "MandateNetworkError";
  }
}
