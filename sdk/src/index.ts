// Mandate's agent SDK: OAuth 2 tokens for an agent registered in Mandate.

export { MandateClient } from "./client.js";
export type { ClientSecretCredentials, MandateCredentials, PrivateKeyCredentials } from "./client-auth.js";
export { MandateError, MandateNetworkError, MandateOAuthError } from "./errors.js";
export type { FetchLike, RetryPolicy } from "./http.js";
export type {
  AuthorizationServerMetadata,
  IntrospectionResponse,
  MandateClientOptions,
  TokenSet,
  TokenTypeHint,
} from "./types.js";
