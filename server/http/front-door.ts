import "server-only";
import { randomUUID } from "node:crypto";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { BlockList, isIP } from "node:net";
import type Provider from "oidc-provider";
import type { Env } from "@/lib/env";
import { ServiceUnavailableError } from "@/lib/errors";
import { isDatabaseUnavailable } from "../db/unavailable";
import { unwrapIPv4 } from "../net/address-policy";
import { providerHandler, routeOf } from "../oauth/http";
import { handleInteraction } from "../oauth/interaction";
import { protectedResourceMetadata, RESOURCE_METADATA_PATH } from "../oauth/resource";
import {
  apiHeaders,
  consoleCsp,
  consoleHeaders,
  type HeaderSet,
  newNonce,
  oauthHeaders,
  publicFileHeaders,
} from "./headers";
import { hotRoute, serveHot } from "./hot-routes";
import { PUBLIC_FILES } from "./public-files";

// The one front door: every request to Mandate, in production (server.ts) and in the tests that
// serve the authorization server and the API over HTTP, comes through here. It stamps the request
// (an id, and the client address it can vouch for), sets the security headers, and routes it to
// the authorization server, the consent answer, the hot API paths agents call on every action
// (hot-routes.ts), or Next (the console, the rest of the admin API and public/).

const FORWARDED = [
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-port",
  "forwarded",
  "x-real-ip",
];
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface FrontDoorOptions {
  config: Env;
  provider: Provider;
  /** Everything that is not the authorization server's: Next's request handler in production. */
  next: RouteHandler;
  dev?: boolean;
}

/** The proxies whose X-Forwarded-* headers are believed (TRUSTED_PROXIES); nobody's by default. */
export function trustedProxies(entries: readonly string[]): (address: string | undefined) => boolean {
  const list = new BlockList();
  for (const entry of entries) {
    const [net, bits] = entry.split("/");
    const plain = unwrapIPv4(net);
    const family = isIP(plain);
    if (!family) continue;
    list.addSubnet(
      plain,
      bits === undefined ? (family === 4 ? 32 : 128) : Number(bits),
      family === 4 ? "ipv4" : "ipv6",
    );
  }
  return (address) => {
    if (!address) return false;
    const plain = unwrapIPv4(address);
    const family = isIP(plain);
    return family !== 0 && list.check(plain, family === 4 ? "ipv4" : "ipv6");
  };
}

/**
 * The client's address: the socket's peer, unless that peer is a trusted proxy, in which case the
 * right-most address of X-Forwarded-For that is not itself a trusted proxy. Forwarded headers from
 * anyone else are removed before anything (oidc-provider, Next, the audit store) can read them.
 */
export function stampRequest(
  req: IncomingMessage,
  res: ServerResponse,
  trusted: (address: string | undefined) => boolean,
): string {
  const peer = unwrapIPv4(req.socket.remoteAddress ?? "");
  let client = peer;
  if (trusted(peer)) {
    const chain = String(req.headers["x-forwarded-for"] ?? "")
      .split(",")
      .map((a) => unwrapIPv4(a.trim()))
      .filter((a) => isIP(a));
    for (let i = chain.length - 1; i >= 0; i--) {
      client = chain[i];
      if (!trusted(chain[i])) break;
    }
  } else {
    for (const name of FORWARDED) delete req.headers[name];
  }
  req.headers["x-mandate-client-ip"] = client;
  const requestId = randomUUID();
  req.headers["x-request-id"] = requestId;
  res.setHeader("x-request-id", requestId);
  return requestId;
}

function setAll(res: ServerResponse, headers: HeaderSet) {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
}

function fail(
  res: ServerResponse,
  status: number,
  error: string,
  message: string,
  requestId: string,
  extra?: HeaderSet,
) {
  if (res.headersSent) return res.end();
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...extra });
  res.end(JSON.stringify({ error, message, request_id: requestId }));
}

export function frontDoor(opts: FrontDoorOptions): RequestListener {
  const { config, provider } = opts;
  const https = config.publicUrl.startsWith("https://");
  const trusted = trustedProxies(config.trustedProxies);
  const oauth = providerHandler(provider);
  return (req, res) => {
    const requestId = stampRequest(req, res, trusted);
    if (!METHODS.has(req.method ?? "")) {
      return fail(res, 405, "method_not_allowed", `${req.method} is not supported here.`, requestId, {
        allow: [...METHODS].join(", "),
      });
    }
    // An address that is not valid percent-encoding names nothing here (Next would fail on it).
    try {
      decodeURIComponent((req.url ?? "/").split("?")[0]);
    } catch {
      return fail(res, 400, "invalid_request", "The address is not valid percent-encoding.", requestId);
    }
    const route = routeOf(req.method, req.url);
    if (route === "provider") {
      setAll(res, oauthHeaders({ https }));
      return oauth(req, res);
    }
    const path = (req.url ?? "/").split("?")[0];
    if (path === RESOURCE_METADATA_PATH && (req.method === "GET" || req.method === "HEAD")) {
      // RFC 9728: the API's protected resource metadata, public and cacheable for a while.
      setAll(res, apiHeaders({ https }));
      res.writeHead(200, {
        "content-type": "application/json",
        "cache-control": "public, max-age=3600",
        "access-control-allow-origin": "*",
      });
      return res.end(req.method === "HEAD" ? undefined : JSON.stringify(protectedResourceMetadata(config.publicUrl)));
    }
    const hot = hotRoute(req.method, path);
    if (hot) {
      setAll(res, apiHeaders({ https }));
      return serveHot(hot, config.publicUrl, req, res).catch((error) => failed(res, requestId, error));
    }
    if (route === "interaction") setAll(res, oauthHeaders({ https }));
    else if (path.startsWith("/api/")) setAll(res, apiHeaders({ https }));
    // Next serves public/ itself (proxy.ts lets these through without a session).
    else if (PUBLIC_FILES.has(path)) setAll(res, publicFileHeaders({ https }));
    else {
      // Next reads the nonce from the request's policy and puts it on the scripts it writes.
      const csp = consoleCsp(newNonce(), { dev: !!opts.dev, consent: path.startsWith("/oauth/interaction/") });
      req.headers["content-security-policy"] = csp;
      setAll(res, consoleHeaders(csp, { https, path }));
    }
    const served = route === "interaction" ? handleInteraction(provider, config, req, res) : opts.next(req, res);
    served.catch((error) => failed(res, requestId, error));
  };
}

/** A request whose handler threw: 503 when the database is out of reach, else 500. */
function failed(res: ServerResponse, requestId: string, error: unknown) {
  console.error(`[${requestId}]`, error);
  if (isDatabaseUnavailable(error)) {
    const e = new ServiceUnavailableError();
    return fail(res, 503, e.code, e.message, requestId, { "retry-after": String(e.retryAfterSeconds) });
  }
  fail(res, 500, "server_error", "Something went wrong. Nothing was changed.", requestId);
}
