// The other side of a Mandate token: a resource server (an MCP server, an API of your own) that
// accepts tokens Mandate issued for it. It publishes its protected resource metadata (RFC 9728),
// checks each token by introspection at Mandate (so a revocation counts from the next request),
// enforces the audience (RFC 8707) and the scopes a route needs, and answers as RFC 6750 and
// RFC 9728 say: 401 with where to get a token, 403 insufficient_scope with the scopes to step up to.
// Fetch-style handlers, Node's http and Express (the same middleware) are served.

import type { IncomingMessage, ServerResponse } from "node:http";
import type { MandateClient } from "./client.js";
import type { IntrospectionResponse } from "./types.js";

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
}

/** RFC 9728 protected resource metadata. */
export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers: string[];
  bearer_methods_supported: string[];
  scopes_supported?: string[];
  resource_name?: string;
}

/** A request that passed: the token and what Mandate says of it. */
export interface Authenticated {
  ok: true;
  token: string;
  claims: IntrospectionResponse;
  scopes: string[];
}

/** A request that did not: the answer to send. */
export interface Refused {
  ok: false;
  status: 401 | 403;
  headers: Record<string, string>;
  body: { error: string; error_description: string; scope?: string };
}

function bearerOf(authorization: string | null | undefined): string | null {
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(authorization ?? "");
  return match ? match[1] : null;
}

const quoted = (value: string) => value.replace(/["\\]/g, "");

export class MandateResourceServer {
  private readonly cache = new Map<string, { claims: IntrospectionResponse; until: number }>();

  constructor(private readonly options: ResourceServerOptions) {
    if (!/^https?:\/\//.test(options.resource)) throw new TypeError("resource must be an absolute http(s) URL");
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
      ...(this.options.scopesSupported ? { scopes_supported: this.options.scopesSupported } : {}),
      ...(this.options.resourceName ? { resource_name: this.options.resourceName } : {}),
    };
  }

  /**
   * Checks the request's Authorization header: a live Mandate token for this resource, carrying
   * every scope in `scopes`. Never throws for a bad token; a Mandate that cannot be reached throws.
   */
  async authenticate(
    authorization: string | null | undefined,
    scopes: string[] = [],
  ): Promise<Authenticated | Refused> {
    const token = bearerOf(authorization);
    if (!token) return this.unauthorized(authorization ? "invalid_token" : null, "Send a Mandate access token.");
    const claims = await this.introspect(token);
    if (!claims.active) return this.unauthorized("invalid_token", "The access token is not active.");
    const audiences = Array.isArray(claims.aud) ? claims.aud : claims.aud ? [claims.aud] : [];
    if (!audiences.includes(this.options.resource)) {
      return this.unauthorized("invalid_token", `The access token is not for ${this.options.resource}.`);
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
    return { ok: true, token, claims, scopes: held };
  }

  /**
   * A Fetch-style handler's guard: the metadata document for its path, a refusal as a Response, or
   * the authenticated request (then handle it yourself).
   */
  async guard(request: Request, scopes: string[] = []): Promise<Response | Authenticated> {
    if (request.method === "GET" && new URL(request.url).pathname === this.metadataPath) {
      return Response.json(this.metadata(), { headers: { "cache-control": "public, max-age=3600" } });
    }
    const result = await this.authenticate(request.headers.get("authorization"), scopes);
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
      this.authenticate(req.headers.authorization, scopes).then((result) => {
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
