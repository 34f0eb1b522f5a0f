// Mandate's agent SDK: OAuth 2 tokens for an agent registered in Mandate, and the decisions it
// asks for before acting.

export type { ApiCall, MandateActions } from "./actions.js";
export { MandateClient } from "./client.js";
export type { ClientSecretCredentials, MandateCredentials, PrivateKeyCredentials } from "./client-auth.js";
export type { DpopKey } from "./dpop.js";
export {
  MandateApiError,
  MandateApprovalPendingError,
  MandateApprovalTimeoutError,
  MandateDeniedError,
  MandateError,
  MandateNetworkError,
  MandateOAuthError,
} from "./errors.js";
export type { FetchLike, RetryPolicy } from "./http.js";
export type {
  Authenticated,
  ProtectedResourceMetadata,
  Refused,
  RequestFacts,
  ResourceServerOptions,
  ToolCallExtra,
  ToolDecision,
  ToolResult,
} from "./resource-server.js";
export { MandateResourceServer } from "./resource-server.js";
export type {
  ActClaim,
  AllowAnswer,
  ApprovalState,
  ApprovalStatus,
  AuthorizationServerMetadata,
  Decision,
  DecisionAnswer,
  DecisionCode,
  DecisionContext,
  DecisionRequest,
  DecisionResource,
  DenyAnswer,
  ExchangeRequest,
  GuardOptions,
  IntrospectionResponse,
  MandateClientOptions,
  NeedsApprovalAnswer,
  ResourceType,
  TokenSet,
  TokenTypeHint,
} from "./types.js";
