import "server-only";
import { randomBytes } from "node:crypto";

// The security headers every answer carries, by what answers: the console (Next's pages, with a
// Content-Security-Policy whose nonce Next puts on its own scripts), the authorization server
// (its few HTML pages, and JSON), the API (JSON only) and the icons and logo in public/.

export type HeaderSet = Record<string, string>;

const COMMON: HeaderSet = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "strict-origin-when-cross-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
  "cross-origin-opener-policy": "same-origin",
};

function withTransport(headers: HeaderSet, https: boolean): HeaderSet {
  return https ? { ...headers, "strict-transport-security": "max-age=31536000; includeSubDomains" } : headers;
}

/** A fresh nonce for one console page. */
export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

/**
 * The console's policy: scripts only from this site and with this request's nonce (and what they
 * load, 'strict-dynamic'), nothing framed anywhere, forms posting to this site only. The consent
 * page's form ends in a redirect to the agent's own redirect URI, which form-action covers too.
 */
export function consoleCsp(nonce: string, opts: { dev: boolean; consent: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${opts.dev ? " ws: wss:" : ""}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    opts.consent ? "form-action 'self' https: http://localhost:* http://127.0.0.1:*" : "form-action 'self'",
    "object-src 'none'",
  ].join("; ");
}

export function consoleHeaders(csp: string, opts: { https: boolean; path: string }): HeaderSet {
  return withTransport(
    {
      ...COMMON,
      "content-security-policy": csp,
      // An invitation link's token is in its path: it leaves no referrer behind.
      ...(opts.path.startsWith("/invite/") ? { "referrer-policy": "no-referrer" } : {}),
    },
    opts.https,
  );
}

/**
 * The authorization server's HTML pages (server/oauth/pages.tsx) hold no script and nothing may
 * frame them. The one exception is oidc-provider's own: its self-submitting form (the end of a
 * session in a browser that has none) adds the sha256 of its script to `script-src`, and
 * 'strict-dynamic' alone allows nothing else, neither this site's scripts nor inline ones.
 */
export function oauthHeaders(opts: { https: boolean }): HeaderSet {
  return withTransport(
    {
      ...COMMON,
      "content-security-policy":
        "default-src 'none'; script-src 'strict-dynamic'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    },
    opts.https,
  );
}

/**
 * The files in public/: anyone may fetch them. Their names carry no version, so browsers keep
 * them a day and then ask again (send answers 304 to a matching If-None-Match). An SVG opened on
 * its own runs no script.
 */
export function publicFileHeaders(opts: { https: boolean }): HeaderSet {
  return withTransport(
    {
      ...COMMON,
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      "cache-control": "public, max-age=86400",
    },
    opts.https,
  );
}

export function apiHeaders(opts: { https: boolean }): HeaderSet {
  return withTransport(
    { ...COMMON, "content-security-policy": "default-src 'none'; frame-ancestors 'none'" },
    opts.https,
  );
}
