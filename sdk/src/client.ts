// An agent's OAuth client for Mandate: discovery, client_credentials tokens cached until shortly
// before they expire, refresh with rotation, introspection, revocation, a fetch that carries
// the token, and the decision API (`actions`) called with it. With a DPoP key (RFC 9449) every
// token request carries a proof, so Mandate binds the token to the key, and every request made
// with a bound token carries a fresh proof for its method and URL.

import { MandateActions } from "./actions.js";
import { type ClientAuth, clientAuth, type MandateCredentials } from "./client-auth.js";
import { DpopSigner, htuOf } from "./dpop.js";
import { MandateError } from "./errors.js";
import {
  type FetchLike,
  oauthError,
  type Replay,
  type RetryPolicy,
  readJson,
  requestLine,
  sendWithRetry,
  withToken,
} from "./http.js";
import type {
  AuthorizationServerMetadata,
  ExchangeRequest,
  IntrospectionResponse,
  MandateClientOptions,
  TokenSet,
  TokenTypeHint,
} from "./types.js";

const TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
const ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 200, maxDelayMs: 5000 };

interface TokenResponse {
  access_token?: unknown;
  token_type?: unknown;
  expires_in?: unknown;
  scope?: unknown;
  refresh_token?: unknown;
}

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, "");

/** RFC 8414 §3: the well-known segment goes between the host and the issuer's path. */
function discoveryUrl(issuer: string): string {
  const url = new URL(issuer);
  const path = url.pathname === "/" ? "" : url.pathname;
  return `${url.origin}/.well-known/oauth-authorization-server${path}`;
}

export class MandateClient {
  readonly issuer: string;
  readonly clientId: string;
  private readonly auth: ClientAuth;
  private readonly fetchImpl: FetchLike;
  private readonly retry: RetryPolicy;
  private readonly scope?: string;
  private readonly resource?: string;
  private readonly skewSeconds: number;
  private readonly dpop?: DpopSigner;
  /** The last DPoP nonce each endpoint handed out (RFC 9449 §8, §9), by URL without query. */
  private readonly dpopNonces = new Map<string, string>();
  private metadata?: Promise<AuthorizationServerMetadata>;
  private cached?: TokenSet;
  private pending?: Promise<TokenSet>;
  private readonly refreshing = new Map<string, Promise<TokenSet>>();
  /** Asks Mandate before acting: `check` (allow, deny or needs_approval) and `guard` (allow or throw). */
  readonly actions: MandateActions;

  constructor(credentials: MandateCredentials, options: MandateClientOptions = {}) {
    this.issuer = withoutTrailingSlash(credentials.issuer);
    this.clientId = credentials.clientId;
    this.auth = clientAuth(credentials);
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    const scope = Array.isArray(options.scope) ? options.scope.join(" ") : options.scope;
    this.scope = scope?.trim() || undefined;
    this.resource = options.resource;
    this.skewSeconds = options.refreshSkewSeconds ?? 30;
    if (options.dpop) this.dpop = new DpopSigner(options.dpop === true ? undefined : options.dpop);
    this.actions = new MandateActions((method, path, body) => this.callApi(method, path, body));
  }

  /** The authorization server's metadata, fetched once; a failed discovery is tried again next time. */
  discover(): Promise<AuthorizationServerMetadata> {
    this.metadata ??= this.loadMetadata().catch((error: unknown) => {
      this.metadata = undefined;
      throw error;
    });
    return this.metadata;
  }

  /** The thumbprint (RFC 7638) of the DPoP key, which bound tokens name as `cnf.jkt`; undefined without DPoP. */
  async dpopThumbprint(): Promise<string | undefined> {
    return this.dpop?.thumbprint();
  }

  async getAccessToken(): Promise<string> {
    return (await this.token()).access_token;
  }

  /** The cached client_credentials token, or a new one when it is near expiry; callers share one request. */
  token(): Promise<TokenSet> {
    const cached = this.cached;
    if (cached && cached.expires_at - this.skewSeconds > Date.now() / 1000) return Promise.resolve(cached);
    this.pending ??= this.grant(
      { grant_type: "client_credentials", scope: this.scope, resource: this.resource },
      "safe",
      this.scope,
    )
      .then((set) => {
        this.cached = set;
        return set;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  /**
   * Exchanges a refresh token (user-delegated agents). The answer carries a new refresh token and
   * the one passed in is spent: using it again revokes the whole family. Concurrent calls with
   * the same token share one request for that reason.
   */
  refresh(refreshToken: string): Promise<TokenSet> {
    let pending = this.refreshing.get(refreshToken);
    if (!pending) {
      pending = this.grant({ grant_type: "refresh_token", refresh_token: refreshToken }, "unsafe")
        .then((set) => ({ ...set, refresh_token: set.refresh_token ?? refreshToken }))
        .finally(() => this.refreshing.delete(refreshToken));
      this.refreshing.set(refreshToken, pending);
    }
    return pending;
  }

  /**
   * RFC 8693 token exchange: this agent acts on `subjectToken` (a live token another agent handed
   * it) and gets a token of its own for it, never wider than the subject's: a subset of its scopes
   * (and of this agent's roles'), the same audience, an expiry no later than the subject's. Mandate
   * refuses a widening rather than trimming it: `MandateOAuthError` with `invalid_scope`,
   * `invalid_target`, `invalid_request` (lifetime) or `invalid_grant` (a dead subject, a delegation
   * not allowed, the chain too deep). The token is not cached: `token()` stays the agent's own.
   */
  exchange(request: ExchangeRequest): Promise<TokenSet> {
    const text = (value: string | TokenSet) => (typeof value === "string" ? value : value.access_token);
    const scope = Array.isArray(request.scope) ? request.scope.join(" ") : request.scope?.trim() || undefined;
    const audience = Array.isArray(request.audience) ? request.audience : request.audience && [request.audience];
    if (audience && audience.length > 1) throw new MandateError("exchange: one audience (Mandate keeps the subject's)");
    const { expiresIn } = request;
    return this.grant(
      {
        grant_type: TOKEN_EXCHANGE,
        subject_token: text(request.subjectToken),
        subject_token_type: ACCESS_TOKEN_TYPE,
        requested_token_type: ACCESS_TOKEN_TYPE,
        scope,
        audience: audience?.[0],
        expires_in: expiresIn === undefined ? undefined : String(expiresIn),
        ...(request.actorToken ? { actor_token: text(request.actorToken), actor_token_type: ACCESS_TOKEN_TYPE } : {}),
      },
      "safe",
      scope,
    );
  }

  /**
   * A view of the client that acts with a token it was given (an exchanged one, say) instead of
   * its own: `actions` asks Mandate's decision API and `fetch` calls an API with that token. A 401
   * is answered as it is: the SDK cannot get that token again. A TokenSet is sent as its
   * token_type says; a string is sent as DPoP when this client has a DPoP key, as Bearer otherwise.
   */
  withToken(token: string | TokenSet): { actions: MandateActions; fetch: FetchLike } {
    const set: Pick<TokenSet, "access_token" | "token_type"> =
      typeof token === "string" ? { access_token: token, token_type: this.dpop ? "DPoP" : "Bearer" } : token;
    return {
      actions: new MandateActions((method, path, body) => this.callApi(method, path, body, set)),
      fetch: async (input, init = {}) =>
        this.fetchImpl(...withToken(input, init, await this.presenting(set, requestLine(input, init)), false)),
    };
  }

  /**
   * For a resource server: decisions asked with a token its caller sent it (relayed, not this
   * client's own), as Bearer, or for a DPoP-bound token as DPoP with the caller's proof forwarded.
   */
  relaying(token: string, dpopProof?: string): { actions: MandateActions } {
    const headers: Record<string, string> = dpopProof
      ? { authorization: `DPoP ${token}`, dpop: dpopProof }
      : { authorization: `Bearer ${token}` };
    return {
      actions: new MandateActions(async (method, path, body) => {
        const url = `${this.issuer}/api/v1${path}`;
        const payload = body === undefined ? undefined : JSON.stringify(body);
        // Sent once: a forwarded proof is accepted once.
        return this.fetchImpl(url, {
          method,
          headers: {
            accept: "application/json",
            ...headers,
            ...(payload ? { "content-type": "application/json" } : {}),
          },
          body: payload,
        });
      }),
    };
  }

  /** RFC 7662: whether a token of this agent is live, and what it carries. */
  async introspect(token: string, hint?: TokenTypeHint): Promise<IntrospectionResponse> {
    const { introspection_endpoint } = await this.discover();
    if (!introspection_endpoint) throw new MandateError("the authorization server has no introspection endpoint");
    const answer = await readJson<IntrospectionResponse>(
      await this.post(introspection_endpoint, { token, token_type_hint: hint }, "safe"),
    );
    if (typeof answer?.active !== "boolean") throw new MandateError("introspection answer has no `active` member");
    return answer;
  }

  /** RFC 7009: ends a token now. Revoking a refresh token ends its access tokens too. */
  async revoke(token: string, hint?: TokenTypeHint): Promise<void> {
    const { revocation_endpoint } = await this.discover();
    if (!revocation_endpoint) throw new MandateError("the authorization server has no revocation endpoint");
    this.forget(token);
    const response = await this.post(revocation_endpoint, { token, token_type_hint: hint }, "safe");
    if (!response.ok) throw await oauthError(response);
    await response.body?.cancel();
  }

  /**
   * fetch with `Authorization: Bearer <token>`. On a 401 the token is dropped and the request is
   * sent once more with a new one (unless its body is a stream, which cannot be sent twice).
   * An arrow function so that it can be handed on where a fetch function is expected.
   */
  readonly fetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const line = requestLine(input, init);
    const token = await this.token();
    const response = await this.fetchImpl(...withToken(input, init, await this.presenting(token, line), true));
    if (response.status !== 401 || init.body instanceof ReadableStream) return response;
    await response.body?.cancel();
    // A resource server's DPoP nonce (RFC 9449 §9): the same token again, with it.
    if (await this.needsNonce(line.url, response)) {
      return this.fetchImpl(...withToken(input, init, await this.presenting(token, line), false));
    }
    this.forget(token.access_token);
    return this.fetchImpl(...withToken(input, init, await this.presenting(await this.token(), line), false));
  };

  /**
   * The headers that present a token: `Authorization: Bearer`, or for a DPoP-bound token
   * `Authorization: DPoP` and a fresh proof for this method and URL (RFC 9449 §7.1).
   */
  private async presenting(
    token: Pick<TokenSet, "access_token" | "token_type">,
    line: { method: string; url: string },
  ): Promise<Record<string, string>> {
    if (token.token_type.toLowerCase() !== "dpop") return { authorization: `Bearer ${token.access_token}` };
    if (!this.dpop) throw new MandateError("a DPoP-bound token needs the client's DPoP key (options.dpop)");
    return {
      authorization: `DPoP ${token.access_token}`,
      dpop: await this.dpop.proof(line.method, line.url, token.access_token, this.dpopNonces.get(htuOf(line.url))),
    };
  }

  /**
   * Keeps the DPoP nonce a response hands out for its URL, and says whether the response refused
   * the request for want of it (`use_dpop_nonce`: a 400 from the token endpoint, a 401 from an
   * API, a decision denied with that code): then the request is worth sending once more.
   */
  private async needsNonce(url: string, response: Response): Promise<boolean> {
    const nonce = response.headers.get("dpop-nonce");
    if (!this.dpop || !nonce) return false;
    this.dpopNonces.set(htuOf(url), nonce);
    if (response.status === 401) return (response.headers.get("www-authenticate") ?? "").includes("use_dpop_nonce");
    const body = (await response
      .clone()
      .json()
      .catch(() => null)) as { error?: unknown; code?: unknown } | null;
    return body?.error === "use_dpop_nonce" || body?.code === "use_dpop_nonce";
  }

  /**
   * A JSON request to Mandate's own API (`<issuer>/api/v1<path>`) with the agent's token: retried
   * like the authorization server's calls (network errors, 429, 5xx); a 401 drops the token and
   * sends the request once more with a new one.
   */
  private async callApi(
    method: "GET" | "POST",
    path: string,
    body?: unknown,
    given?: Pick<TokenSet, "access_token" | "token_type">,
  ): Promise<Response> {
    const url = `${this.issuer}/api/v1${path}`;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const send = (token: Pick<TokenSet, "access_token" | "token_type">) => {
      // Built afresh for every try: a DPoP proof is accepted once.
      const build = async (): Promise<RequestInit> => ({
        method,
        headers: {
          accept: "application/json",
          ...(await this.presenting(token, { method, url })),
          ...(payload === undefined ? {} : { "content-type": "application/json" }),
        },
        body: payload,
      });
      return sendWithRetry(this.fetchImpl, url, build, this.retry);
    };
    // A DPoP nonce handed out with a refusal: the same request once more, with it.
    const sendNonced = async (token: Pick<TokenSet, "access_token" | "token_type">) => {
      const response = await send(token);
      if (!(await this.needsNonce(url, response))) return response;
      await response.body?.cancel();
      return send(token);
    };
    if (given) return sendNonced(given);
    const token = await this.token();
    const response = await sendNonced(token);
    if (response.status !== 401) return response;
    await response.body?.cancel();
    this.forget(token.access_token);
    return sendNonced(await this.token());
  }

  /** Drops the cached token if it is this one (a concurrent caller may have replaced it already). */
  private forget(token: string): void {
    if (this.cached?.access_token === token) this.cached = undefined;
  }

  private async loadMetadata(): Promise<AuthorizationServerMetadata> {
    const url = discoveryUrl(this.issuer);
    const build = async () => ({ headers: { accept: "application/json" } });
    const metadata = await readJson<AuthorizationServerMetadata>(
      await sendWithRetry(this.fetchImpl, url, build, this.retry),
    );
    // RFC 8414 §3.3: a document naming another issuer is refused (mix-up attacks).
    if (typeof metadata?.issuer !== "string" || withoutTrailingSlash(metadata.issuer) !== this.issuer) {
      throw new MandateError(`${url} describes issuer ${String(metadata?.issuer)}, not ${this.issuer}`);
    }
    if (typeof metadata.token_endpoint !== "string") throw new MandateError(`${url} names no token_endpoint`);
    return metadata;
  }

  private async grant(params: Record<string, string | undefined>, replay: Replay, scope = ""): Promise<TokenSet> {
    const { token_endpoint } = await this.discover();
    const sentAt = Math.floor(Date.now() / 1000);
    const body = await readJson<TokenResponse>(await this.post(token_endpoint, params, replay, true));
    if (typeof body?.access_token !== "string" || !body.access_token) {
      throw new MandateError("token answer has no access_token");
    }
    const tokenType = typeof body.token_type === "string" ? body.token_type : "";
    const type = tokenType.toLowerCase();
    // A DPoP token only when this client sent a proof (it holds the key the token is bound to).
    if (type !== "bearer" && !(type === "dpop" && this.dpop)) {
      throw new MandateError(`unsupported token_type "${tokenType}"`);
    }
    // Mandate always sends expires_in; a server that does not gets its token used for a minute.
    const expiresIn = typeof body.expires_in === "number" ? body.expires_in : 60;
    return {
      access_token: body.access_token,
      token_type: tokenType,
      expires_at: sentAt + expiresIn,
      scope: typeof body.scope === "string" ? body.scope : scope,
      ...(typeof body.refresh_token === "string" ? { refresh_token: body.refresh_token } : {}),
    };
  }

  /**
   * A form POST with client authentication, built afresh for every try; a token request (`proof`)
   * carries a DPoP proof when the client has a key, so that the token is bound to it.
   */
  private async post(
    url: string,
    params: Record<string, string | undefined>,
    replay: Replay,
    proof = false,
  ): Promise<Response> {
    const { issuer } = await this.discover();
    const build = async (): Promise<RequestInit> => {
      const headers = new Headers({ accept: "application/json", "content-type": "application/x-www-form-urlencoded" });
      if (proof && this.dpop)
        headers.set("dpop", await this.dpop.proof("POST", url, undefined, this.dpopNonces.get(htuOf(url))));
      const body = new URLSearchParams();
      for (const [name, value] of Object.entries(params)) if (value !== undefined) body.set(name, value);
      await this.auth(headers, body, issuer);
      return { method: "POST", headers, body };
    };
    const response = await sendWithRetry(this.fetchImpl, url, build, this.retry, replay);
    // RFC 9449 §8: a token endpoint that wants a nonce refuses with use_dpop_nonce and one to use
    // (before it reads the grant, so sending the same grant again is safe).
    if (!proof || !(await this.needsNonce(url, response))) return response;
    await response.body?.cancel();
    return sendWithRetry(this.fetchImpl, url, build, this.retry, replay);
  }
}
