// The other side of a Mandate token: a resource server (an MCP server, an API of your own) that
// accepts tokens Mandate issued for it. It publishes its protected resource metadata (RFC 9728),
// checks each token by introspection at Mandate (so a revocation counts from the next request),
// enforces the audience (RFC 8707) and the scopes a route needs, and answers as RFC 6750 and
// RFC 9728 say: 401 with where to get a token, 403 insufficient_scope with the scopes to step up to.
// A DPoP-bound token (introspection answers `cnf.jkt`, RFC 9449) passes only as `Authorization:
// DPoP` with a proof by its key for this request (method, URL, `ath`), each proof once: the replay
// memory is this process's (several processes each keep their own; see `replayCheck`).
// Fetch-style handlers, Node's http and Express (the same middleware) are served. Before each
// consequential operation (an MCP tool call) it asks Mandate's decision API with the caller's own
// token: the decision is the agent's, on record at Mandate, and policies see this server as
// context.audience.

import type { IncomingMessage, ServerResponse } from "node:http";
import type { MandateClient } from "./client.js";
import { checkDpopProof, DPOP_ALGORITHMS, dpopNonceAt, nonceAccepted, nonceStep, processReplayMemory } from "./dpop.js";
import type {
  DecisionAnswer,
  DecisionContext,
  DecisionRequest,
  DecisionResource,
  IntrospectionResponse,
} from "./types.js";

export interface ResourceServerOptions {
  /** This server's identifier (RFC 8707): the audience Mandate's tokens for it carry, e.g. "https://mcp.example.com/mcp". */
  resource: string;
  /**
   * Mandate's client for this server: an automation client of the tenant whose agents call it (it
   * may introspect that tenant's tokens). Its issuer is the authorization server named in the metadata.
   */
  introspector: MandateClient;
  /** Scopes this server understands, for its metadata (optional). */
  scopesSupported?: string[];
  /** A human name for the metadata. */
  resourceName?: string;
  /**
   * Keep an introspection answer this many milliseconds (never past the token's expiry). Off (0) by
   * default: then every request is checked at Mandate, and a revocation counts at once. A cache
   * means a revoked token may still be accepted here for up to this long.
   */
  cacheMs?: number;
  /**
   * DPoP replay check: true when this (key, jti) was seen before (and remembers it until `until`,
   * seconds since the epoch). An in-memory set for this process unless told: give a shared store's
   * check when several processes serve the same resource.
   */
  replayCheck?: (jkt: string, jti: string, until: number) => boolean;
  /**
   * DPoP nonces (RFC 9449 §9): with a secret (32 characters or more), a bound token's proof must
   * carry a nonce this server handed out, else the answer is 401 `use_dpop_nonce` with a fresh one
   * in `DPoP-Nonce` (Mandate's SDK client retries with it). Nonces change every minute and are
   * accepted for three; every process given the same secret accepts the others'.
   */
  dpopNonceSecret?: string;
}

/** What the DPoP check needs of the request: its method, its URL (or path) and its DPoP header. */
export interface RequestFacts {
  method: string;
  /** The URL the client called, or its path and query (then read against the resource's origin). */
  url: string;
  dpop?: string | null;
}

/** RFC 9728 protected resource metadata. */
export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers: string[];
  bearer_methods_supported: string[];
  dpop_signing_alg_values_supported: string[];
  scopes_supported?: string[];
  resource_name?: string;
}

/** A request that passed: the token and what Mandate says of it. */
export interface Authenticated {
  ok: true;
  token: string;
  claims: IntrospectionResponse;
  scopes: string[];
  /** For a DPoP-bound token, the caller's proof for this request: `decide` forwards it to Mandate. */
  dpop?: string;
}

/** A request that did not: the answer to send. */
export interface Refused {
  ok: false;
  status: 401 | 403;
  headers: Record<string, string>;
  body: { error: string; error_description: string; scope?: string };
}

/**
 * The decision to ask for before a tool runs: the action (a scope the caller's token must carry),
 * and the resource and context, fixed or computed from the tool's arguments.
 */
export interface ToolDecision<Args> {
  action: string;
  resource: DecisionResource | ((args: Args) => DecisionResource);
  context?: DecisionContext | ((args: Args) => DecisionContext);
}

/**
 * An MCP tool result (CallToolResult's shape, so this SDK needs no MCP dependency). A refusal is a
 * tool error (`isError`), which the model sees and can explain; its `_meta["mandate/decision"]` is
 * Mandate's answer, for clients that act on it (an approval id to show a person).
 */
export interface ToolResult {
  content: { type: "text"; text: string }[];
  isError?: boolean;
  _meta?: Record<string, unknown>;
  [key: string]: unknown;
}

/** What an MCP server's tool handler is given besides its arguments: the caller's verified token. */
export interface ToolCallExtra {
  /** The MCP SDK's AuthInfo: set `extra.dpop` to the request's proof for a DPoP-bound token. */
  authInfo?: { token: string; extra?: Record<string, unknown> };
}

/** The token and its scheme: Bearer (RFC 6750) or DPoP (RFC 9449 §7.1). */
function tokenOf(authorization: string | null | undefined): { token: string; dpop: boolean } | null {
  const match = /^(Bearer|DPoP) +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(authorization ?? "");
  return match ? { token: match[2], dpop: match[1].toLowerCase() === "dpop" } : null;
}

const quoted = (value: string) => value.replace(/["\\]/g, "");

export class MandateResourceServer {
  private readonly cache = new Map<string, { claims: IntrospectionResponse; until: number }>();
  private readonly seen: (jkt: string, jti: string, until: number) => boolean;

  constructor(private readonly options: ResourceServerOptions) {
    if (!/^https?:\/\//.test(options.resource)) throw new TypeError("resource must be an absolute http(s) URL");
    this.seen = options.replayCheck ?? processReplayMemory();
    if (options.dpopNonceSecret !== undefined && options.dpopNonceSecret.length < 32) {
      throw new TypeError("dpopNonceSecret must be at least 32 characters");
    }
  }

  /** Where the metadata is served (RFC 9728 §3.1): the well-known name before the resource's path. */
  get metadataPath(): string {
    const { pathname } = new URL(this.options.resource);
    return `/.well-known/oauth-protected-resource${pathname === "/" ? "" : pathname}`;
  }

  get metadataUrl(): string {
    return new URL(this.metadataPath, this.options.resource).toString();
  }

  metadata(): ProtectedResourceMetadata {
    return {
      resource: this.options.resource,
      authorization_servers: [this.options.introspector.issuer],
      bearer_methods_supported: ["header"],
      dpop_signing_alg_values_supported: [...DPOP_ALGORITHMS],
      ...(this.options.scopesSupported ? { scopes_supported: this.options.scopesSupported } : {}),
      ...(this.options.resourceName ? { resource_name: this.options.resourceName } : {}),
    };
  }

  /**
   * Checks the request's Authorization header: a live Mandate token for this resource, carrying
   * every scope in `scopes`; for a DPoP-bound token, the request's proof (`request`: without it a
   * bound token is refused). Never throws for a bad token; a Mandate that cannot be reached throws.
   */
  async authenticate(
    authorization: string | null | undefined,
    scopes: string[] = [],
    request?: RequestFacts,
  ): Promise<Authenticated | Refused> {
    const presented = tokenOf(authorization);
    if (!presented) return this.unauthorized(authorization ? "invalid_token" : null, "Send a Mandate access token.");
    const { token } = presented;
    const claims = await this.introspect(token);
    if (!claims.active) return this.unauthorized("invalid_token", "The access token is not active.");
    const audiences = Array.isArray(claims.aud) ? claims.aud : claims.aud ? [claims.aud] : [];
    if (!audiences.includes(this.options.resource)) {
      return this.unauthorized("invalid_token", `The access token is not for ${this.options.resource}.`);
    }
    const jkt = typeof claims.cnf?.jkt === "string" ? claims.cnf.jkt : null;
    if (jkt) {
      if (!presented.dpop) return this.dpopRefused("The access token is DPoP-bound: send it as DPoP with a proof.");
      if (!request) return this.dpopRefused("The request's method and URL are needed to check its DPoP proof.");
      const url = new URL(request.url, this.options.resource).href;
      if (this.options.dpopNonceSecret && !(await nonceAccepted(this.options.dpopNonceSecret, request.dpop))) {
        return this.nonceWanted();
      }
      const why = await checkDpopProof(
        request.dpop,
        { method: request.method, url, accessToken: token, jkt },
        this.seen,
      );
      if (why) return this.dpopRefused(`${why[0].toUpperCase()}${why.slice(1)}.`);
    } else if (presented.dpop) {
      return this.unauthorized("invalid_token", "The access token is not DPoP-bound: send it as Bearer.");
    }
    const held = (claims.scope ?? "").split(" ").filter(Boolean);
    const missing = scopes.filter((s) => !held.includes(s));
    if (missing.length) {
      // RFC 6750 §3.1 and the MCP step-up: the scopes to ask for, all of them (held and missing).
      const needed = [...new Set([...held, ...scopes])].join(" ");
      return {
        ok: false,
        status: 403,
        headers: {
          "www-authenticate": `Bearer error="insufficient_scope", scope="${quoted(needed)}", resource_metadata="${this.metadataUrl}"`,
        },
        body: { error: "insufficient_scope", error_description: `Needs ${missing.join(" ")}.`, scope: needed },
      };
    }
    return { ok: true, token, claims, scopes: held, ...(jkt && request?.dpop ? { dpop: request.dpop } : {}) };
  }

  /**
   * A Fetch-style handler's guard: the metadata document for its path, a refusal as a Response, or
   * the authenticated request (then handle it yourself).
   */
  async guard(request: Request, scopes: string[] = []): Promise<Response | Authenticated> {
    if (request.method === "GET" && new URL(request.url).pathname === this.metadataPath) {
      return Response.json(this.metadata(), { headers: { "cache-control": "public, max-age=3600" } });
    }
    const { pathname, search } = new URL(request.url);
    const result = await this.authenticate(request.headers.get("authorization"), scopes, {
      method: request.method,
      url: `${pathname}${search}`,
      dpop: request.headers.get("dpop"),
    });
    if (result.ok) return result;
    return Response.json(result.body, { status: result.status, headers: result.headers });
  }

  /**
   * Node's http and Express: serves the metadata, refuses what does not pass, and otherwise sets
   * `req.mandate` (the Authenticated) and calls next().
   */
  middleware(scopes: string[] = []) {
    return (
      req: IncomingMessage & { mandate?: Authenticated },
      res: ServerResponse,
      next: (error?: unknown) => void,
    ) => {
      const path = (req.url ?? "/").split("?")[0];
      if (req.method === "GET" && path === this.metadataPath) {
        res.writeHead(200, { "content-type": "application/json", "cache-control": "public, max-age=3600" });
        res.end(JSON.stringify(this.metadata()));
        return;
      }
      // Express gives a mounted router its own req.url; the URL the client called is originalUrl.
      const url = (req as { originalUrl?: string }).originalUrl ?? req.url ?? "/";
      const dpop = req.headers.dpop;
      const facts = { method: req.method ?? "GET", url, dpop: Array.isArray(dpop) ? dpop.join(", ") : dpop };
      this.authenticate(req.headers.authorization, scopes, facts).then((result) => {
        if (result.ok) {
          req.mandate = result;
          next();
          return;
        }
        res.writeHead(result.status, { "content-type": "application/json", ...result.headers });
        res.end(JSON.stringify(result.body));
      }, next);
    };
  }

  /**
   * May the holder of this token do this now? Mandate's decision API (POST /api/v1/decisions),
   * asked with the caller's own token (the one this server was sent and has authenticated): the
   * answer as Mandate gives it, recorded there with this server as the token's audience. A deny is
   * an answer, not an error; a Mandate that cannot be reached throws.
   */
  async decide(token: string | Authenticated, request: DecisionRequest, dpopProof?: string): Promise<DecisionAnswer> {
    const value = typeof token === "string" ? token : token.token;
    // A DPoP-bound token goes with the proof its caller sent here, forwarded (Mandate checks it is
    // for this resource, by the token's key, for this token, and spends it).
    const proof = dpopProof ?? (typeof token === "string" ? undefined : token.dpop);
    return this.options.introspector.relaying(value, proof).actions.check(request);
  }

  /**
   * Wraps an MCP tool handler (McpServer's registerTool callback) so that it runs only when Mandate
   * allows this call: each call is a decision with the caller's token (from `extra.authInfo`, which
   * the server sets from `authenticate()`). A deny, or a call without a token, is a tool error naming
   * the reason; a needs_approval is a tool error naming the approval request: once a person approves
   * it, the same call (same arguments) is allowed once.
   */
  tool<Args, Extra extends ToolCallExtra, Result>(
    decision: ToolDecision<Args>,
    handler: (args: Args, extra: Extra) => Result | Promise<Result>,
  ): (args: Args, extra: Extra) => Promise<Result | ToolResult> {
    return async (args, extra) => {
      const token = extra?.authInfo?.token;
      const proof = extra?.authInfo?.extra?.dpop;
      if (!token) return toolRefusal("No Mandate access token came with this call, so it is not run.");
      const resource = typeof decision.resource === "function" ? decision.resource(args) : decision.resource;
      const context = typeof decision.context === "function" ? decision.context(args) : decision.context;
      const answer = await this.decide(
        token,
        { action: decision.action, resource, ...(context ? { context } : {}) },
        typeof proof === "string" ? proof : undefined,
      );
      if (answer.decision === "allow") return handler(args, extra);
      if (answer.decision === "needs_approval") {
        return toolRefusal(
          `${answer.reason} Approval request ${answer.approval_id} is waiting for a person's answer; once it is approved, the same call is allowed once. (Mandate decision ${answer.decision_id})`,
          answer,
        );
      }
      return toolRefusal(
        `Mandate denied ${decision.action}: ${answer.reason} (decision ${answer.decision_id})`,
        answer,
      );
    };
  }

  /** RFC 9449 §9: the proof lacks this server's nonce; here is the one to send. */
  private async nonceWanted(): Promise<Refused> {
    const nonce = await dpopNonceAt(this.options.dpopNonceSecret as string, nonceStep());
    const description = "Send the DPoP proof again with the nonce in DPoP-Nonce.";
    return {
      ok: false,
      status: 401,
      headers: {
        "www-authenticate": `DPoP error="use_dpop_nonce", error_description="${description}", algs="${DPOP_ALGORITHMS.join(" ")}"`,
        "dpop-nonce": nonce,
      },
      body: { error: "use_dpop_nonce", error_description: description },
    };
  }

  /** RFC 9449 §7.1: a DPoP challenge naming what was wrong with the proof. */
  private dpopRefused(description: string): Refused {
    return {
      ok: false,
      status: 401,
      headers: {
        "www-authenticate": `DPoP error="invalid_dpop_proof", error_description="${quoted(description)}", algs="${DPOP_ALGORITHMS.join(" ")}"`,
      },
      body: { error: "invalid_dpop_proof", error_description: description },
    };
  }

  private unauthorized(error: string | null, description: string): Refused {
    // RFC 6750 §3: no error code when the request carried no token at all.
    const challenge = [`resource_metadata="${this.metadataUrl}"`, ...(error ? [`error="${error}"`] : [])].join(", ");
    return {
      ok: false,
      status: 401,
      headers: { "www-authenticate": `Bearer ${challenge}` },
      body: { error: error ?? "invalid_request", error_description: description },
    };
  }

  private async introspect(token: string): Promise<IntrospectionResponse> {
    const cacheMs = this.options.cacheMs ?? 0;
    const now = Date.now();
    if (cacheMs > 0) {
      const kept = this.cache.get(token);
      if (kept && kept.until > now) return kept.claims;
      this.cache.delete(token);
    }
    const claims = await this.options.introspector.introspect(token, "access_token");
    if (cacheMs > 0 && claims.active) {
      const expiry = typeof claims.exp === "number" ? claims.exp * 1000 : now + cacheMs;
      if (this.cache.size >= 10_000) this.cache.clear();
      this.cache.set(token, { claims, until: Math.min(now + cacheMs, expiry) });
    }
    return claims;
  }
}

function toolRefusal(text: string, answer?: DecisionAnswer): ToolResult {
  return {
    content: [{ type: "text", text }],
    isError: true,
    ...(answer ? { _meta: { "mandate/decision": answer } } : {}),
  };
}
