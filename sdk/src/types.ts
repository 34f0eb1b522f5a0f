import type { DpopKey } from "./dpop.js";
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
  /**
   * DPoP (RFC 9449): bind the agent's tokens to a key. `true` generates an ES256 key pair in
   * memory (tokens die with the process); or give the key (`privateKey` and its `publicJwk`).
   * Token requests then carry a proof, Mandate answers token_type DPoP, and every request made
   * with such a token (decisions, approvals, `fetch`) carries a fresh proof with `ath`. Required
   * when the agent or its tenant has dpop_required set.
   */
  dpop?: true | DpopKey;
}

export interface TokenSet {
  access_token: string;
  /** "Bearer", or "DPoP" for a token bound to the client's DPoP key. */
  token_type: string;
  /** Seconds since the epoch, reckoned from when the request was sent. */
  expires_at: number;
  /** Space-separated scopes the token carries. */
  scope: string;
  /** Present for user-delegated agents: the newest refresh token (the one used is now spent). */
  refresh_token?: string;
}

/** `exchange()`: what to act on, and how much of it (each at most what the subject token has). */
export interface ExchangeRequest {
  /** The live access token to act on (RFC 8693 subject_token), as a string or a TokenSet. */
  subjectToken: string | TokenSet;
  /** Scopes for the new token, within the subject's and this agent's roles'. Unless told, all the subject's, which this agent's roles must then cover. */
  scope?: string | string[];
  /** The API the token is for; it must be the subject token's (Mandate never widens the audience). */
  audience?: string | string[];
  /** Seconds the new token should live; no later than the subject token expires. */
  expiresIn?: number;
  /** A live token of this agent itself, to prove who acts (optional: the client authenticates anyway). */
  actorToken?: string | TokenSet;
}

/** A token chain's hop, as introspection answers it: who acts, and for whom before (`act`). */
export interface ActClaim {
  sub: string;
  client_id: string;
  act?: ActClaim;
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
  /** An exchanged token: the agents that acted on it, newest first (RFC 8693 §4.1). */
  act?: ActClaim;
  /** An exchanged token: its hops from the first token (0 for a token that was not exchanged). */
  depth?: number;
  /** A DPoP-bound token (RFC 9449): the thumbprint of the key it is bound to. */
  cnf?: { jkt?: string; [member: string]: unknown };
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

/** The resource types Mandate's policies know; others are refused with 400 invalid_request. */
export type ResourceType =
  | "Document"
  | "Email"
  | "Payment"
  | "Contact"
  | "CalendarEvent"
  | "Ticket"
  | "Record"
  | "File"
  | "Message"
  | "Resource";

export interface DecisionResource {
  type: ResourceType;
  id: string;
  /** What policies may test with `resource.getTag(...)`: at most 50, strings of up to 500 characters, numbers, booleans. */
  attributes?: Record<string, string | number | boolean>;
}

/** What the agent says about this action; Mandate adds the time and the caller's address itself. */
export interface DecisionContext {
  /** Whole units (4800 is 4,800 of the currency), for policies such as "payments over 1,000". */
  amount?: number;
  currency?: string;
  recipient?: string;
  recipient_domain?: string;
  purpose?: string;
  count?: number;
}

/** `POST /api/v1/decisions`: may the agent do this now? `action` is a scope its token carries. */
export interface DecisionRequest {
  action: string;
  resource: DecisionResource;
  context?: DecisionContext;
}

export type Decision = "allow" | "deny" | "needs_approval";

/** Why, for machines (the decision API's `code`); `reason` is the same for people. */
export type DecisionCode =
  | "token_unknown"
  | "token_revoked"
  | "token_expired"
  | "token_audience"
  | "grant_revoked"
  | "chain_revoked"
  | "not_an_agent"
  | "agent_inactive"
  | "agent_review_overdue"
  | "consent_withdrawn"
  | "action_not_in_scopes"
  | "forbidden_by_policy"
  | "no_permitting_policy"
  | "policy_error"
  | "permitted"
  | "approval_required"
  | "approved_once"
  | "dpop_required"
  | "dpop_invalid";

interface DecisionAnswerBase {
  /** Why, for code to branch on: a stale token (token_*) is worth a fresh token and a retry. */
  code: DecisionCode;
  /** A sentence for people: which policy decided, or why nothing permitted it. */
  reason: string;
  /** The names of the policies that decided. */
  policies: string[];
  /** The answer's id in Mandate's audit log. */
  decision_id: string;
}

export interface AllowAnswer extends DecisionAnswerBase {
  decision: "allow";
  /** Present when this allow used up a person's approval (it allows that request once). */
  approval_id?: string;
}

export interface DenyAnswer extends DecisionAnswerBase {
  decision: "deny";
}

export interface NeedsApprovalAnswer extends DecisionAnswerBase {
  decision: "needs_approval";
  /** The approval request to poll; asking again while it waits names the same one. */
  approval_id: string;
}

export type DecisionAnswer = AllowAnswer | DenyAnswer | NeedsApprovalAnswer;

export type ApprovalStatus = "pending" | "approved" | "denied" | "used" | "expired";

/** `GET /api/v1/approvals/{id}`, as the agent that asked sees it. Times are ISO 8601 strings. */
export interface ApprovalState {
  id: string;
  status: ApprovalStatus;
  tenant_id: string;
  agent: { id: string; name: string };
  /** The user the agent acted for, when its token was delegated. */
  subject_id: string | null;
  action: string;
  resource: Required<DecisionResource>;
  context: DecisionContext;
  policies: string[];
  reason: string;
  requested_at: string;
  expires_at: string;
  decided_at: string | null;
  /** Who approved or denied it (their email, or an automation client's id). */
  decided_by: string | null;
  decision_note: string | null;
  /** An approved request allows the same request once, until then. */
  usable_until: string | null;
  used_at: string | null;
  [field: string]: unknown;
}

export interface GuardOptions {
  /** On needs_approval, wait for a person's answer (true) or throw MandateApprovalPendingError at once. */
  waitForApproval?: boolean;
  /** How long to wait for the answer, in all: 10 minutes unless told. */
  timeoutMs?: number;
  /** How often to ask whether the request was answered: every 2 seconds unless told. */
  pollIntervalMs?: number;
  /** Stops the wait (the promise rejects with the signal's reason). */
  signal?: AbortSignal;
}
