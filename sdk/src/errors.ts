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

/**
 * Mandate's API (`/api/v1`) refused a request: `error` is its code (`invalid_request`,
 * `invalid_token`, `not_found`, ...), the message its sentence, `details` the fields at fault.
 */
export class MandateApiError extends MandateError {
  readonly error: string;
  readonly status: number;
  readonly details?: Record<string, string[]>;
  readonly retryAfterMs?: number;

  constructor(init: {
    error: string;
    message?: string;
    status: number;
    details?: Record<string, string[]>;
    retryAfterMs?: number;
  }) {
    super(init.message ? `${init.error}: ${init.message}` : `${init.error} (HTTP ${init.status})`);
    this.name = "MandateApiError";
    this.error = init.error;
    this.status = init.status;
    this.details = init.details;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/**
 * The action must not happen: a policy (or the lack of one) denied it, or the person asked for
 * approval denied it or let it expire. `reason` says which, for logs and for the agent's user.
 */
export class MandateDeniedError extends MandateError {
  readonly reason: string;
  readonly policies: string[];
  readonly decision_id: string;
  /** The approval request, when the denial came from a person (or from nobody answering in time). */
  readonly approval_id?: string;
  readonly approval_status?: "denied" | "expired";
  readonly decided_by?: string | null;
  readonly decision_note?: string | null;

  constructor(init: {
    reason: string;
    policies: string[];
    decision_id: string;
    approval_id?: string;
    approval_status?: "denied" | "expired";
    decided_by?: string | null;
    decision_note?: string | null;
  }) {
    super(init.reason);
    this.name = "MandateDeniedError";
    this.reason = init.reason;
    this.policies = init.policies;
    this.decision_id = init.decision_id;
    this.approval_id = init.approval_id;
    this.approval_status = init.approval_status;
    this.decided_by = init.decided_by;
    this.decision_note = init.decision_note;
  }
}

/**
 * The action needs a person's approval and has none yet: `approval_id` names the request, still
 * open for someone to answer. Thrown by `guard` with `waitForApproval: false`.
 */
export class MandateApprovalPendingError extends MandateError {
  readonly reason: string;
  readonly policies: string[];
  readonly decision_id: string;
  readonly approval_id: string;

  constructor(
    init: { reason: string; policies: string[]; decision_id: string; approval_id: string },
    message?: string,
  ) {
    super(message ?? `${init.reason} Waiting for approval request ${init.approval_id}.`);
    this.name = "MandateApprovalPendingError";
    this.reason = init.reason;
    this.policies = init.policies;
    this.decision_id = init.decision_id;
    this.approval_id = init.approval_id;
  }
}

/** Nobody answered the approval request within `timeoutMs`; it stays open in the console. */
export class MandateApprovalTimeoutError extends MandateApprovalPendingError {
  readonly timeoutMs: number;

  constructor(
    init: { reason: string; policies: string[]; decision_id: string; approval_id: string },
    timeoutMs: number,
  ) {
    super(init, `Approval request ${init.approval_id} was not answered within ${timeoutMs} ms. ${init.reason}`);
    this.name = "MandateApprovalTimeoutError";
    this.timeoutMs = timeoutMs;
  }
}
