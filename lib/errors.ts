// Expected failures: a code for machines, a sentence for people, an HTTP status for the API.
// Anything that is not a DomainError is unexpected and is logged, never shown.

export type ErrorDetails = Record<string, string[]>;

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

/** A missing row and a forbidden row look the same to the caller, so ids cannot be probed. */
export class NotFoundError extends DomainError {
  constructor(what = "resource") {
    super("not_found", `No such ${what}, or you do not have access to it.`, 404);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = "Your role does not allow this.") {
    super("forbidden", message, 403);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor() {
    super("unauthenticated", "Sign in to continue.", 401);
  }
}

/** An API call without a live bearer token of the right kind (RFC 6750's invalid_token). */
export class InvalidTokenError extends DomainError {
  constructor(message = "Send a live access token issued by Mandate: Authorization: Bearer <token>.") {
    super("invalid_token", message, 401);
  }
}

/** RFC 9449 §9: the DPoP proof lacks the server's nonce (or has a stale one); here is a fresh one. */
export class UseDpopNonceError extends InvalidTokenError {
  constructor(
    message: string,
    readonly nonce: string,
  ) {
    super(message);
  }
}

export class ValidationError extends DomainError {
  constructor(details: ErrorDetails, message = "Some fields are not valid.") {
    super("invalid_request", message, 400, details);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, details?: ErrorDetails) {
    super("conflict", message, 409, details);
  }
}

export class TooManyRequestsError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super("too_many_requests", message, 429);
  }
}

/** The database did not answer in time (or at all): try again shortly. Never an allow. */
export class ServiceUnavailableError extends DomainError {
  constructor(
    message = "Mandate's database is not answering. Nothing was done; try again in a few seconds.",
    readonly retryAfterSeconds = 5,
  ) {
    super("temporarily_unavailable", message, 503);
  }
}
