import { createHash } from "node:crypto";
import { request } from "node:http";
import { afterAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { reloadEnv } from "@/lib/env";
import { prisma } from "@/server/db";
import { unique } from "@/tests/factories";
import { startOAuthServer } from "@/tests/oauth-server";

// The front door every request comes through: security headers on the authorization server's
// answers (its HTML pages included) and the API's, methods it does not serve refused with a 4xx,
// and forwarded headers believed only from TRUSTED_PROXIES, by the audit store and everything
// else that reads the client's address.

const servers: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

async function server(env: Record<string, string> = {}) {
  const s = await startOAuthServer({ env });
  servers.push(s);
  return s;
}

/** A refused token request from a client id of our own, and the address its record carries. */
async function recordedAddress(issuer: string, headers: Record<string, string>) {
  const clientId = unique("probe").toLowerCase();
  const r = await fetch(`${issuer}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: "x" }),
  });
  expect(r.status).toBe(401);
  const event = await (await prisma()).auditEvent.findFirstOrThrow({
    where: { action: "oauth.token.refused", actorLabel: clientId },
  });
  return event.ip;
}

function raw(issuer: string, method: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${issuer}${path}`, { method }, (res) => {
      let body = "";
      res.on("data", (c) => {
        body += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("security headers", () => {
  it("are on the authorization server's JSON and HTML answers: nothing frames them, no script runs", async () => {
    const { issuer } = await server();
    for (const path of [
      "/.well-known/oauth-authorization-server",
      "/oauth/authorize?client_id=nobody&response_type=code",
    ]) {
      const r = await fetch(`${issuer}${path}`, { redirect: "manual" });
      expect(r.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(r.headers.get("x-frame-options"), path).toBe("DENY");
      expect(r.headers.get("referrer-policy"), path).toBe("strict-origin-when-cross-origin");
      const csp = r.headers.get("content-security-policy") ?? "";
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("default-src 'none'");
      // 'strict-dynamic' with no nonce and no hash: no script at all.
      expect(/script-src ([^;]*)/.exec(csp)?.[1], path).toBe("'strict-dynamic'");
    }
    const page = await fetch(`${issuer}/oauth/authorize?client_id=nobody&response_type=code`);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
  });

  it("let oidc-provider's self-submitting form run its one script, by hash, and nothing else", async () => {
    const { issuer } = await server();
    // The end of a session in a browser that has none posts itself on to the confirmation.
    const r = await fetch(`${issuer}/oauth/session/end`);
    expect(r.status).toBe(200);
    const html = await r.text();
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "";
    expect(script).toContain("submit()");
    const sha = createHash("sha256").update(script).digest("base64");
    expect(/script-src ([^;]*)/.exec(r.headers.get("content-security-policy") ?? "")?.[1]).toBe(
      `'strict-dynamic' 'sha256-${sha}'`,
    );
  });

  it("are on the API's answers", async () => {
    const { issuer } = await server();
    const r = await fetch(`${issuer}/api/v1/agents`);
    expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    expect(r.headers.get("content-security-policy")).toContain("default-src 'none'");
  });
});

describe("methods", () => {
  // Regression: TRACE answered 500.
  it.each(["TRACE", "PROPFIND", "MKCOL", "LINK"])("answers %s with 405 and the methods it serves", async (method) => {
    const { issuer } = await server();
    for (const path of ["/oauth/token", "/api/v1/agents", "/acme"]) {
      const r = await raw(issuer, method, path);
      expect(r.status, `${method} ${path}`).toBe(405);
      expect(JSON.parse(r.body)).toMatchObject({ error: "method_not_allowed" });
    }
  });

  it("never answers a method Node does not know with more than a 400", async () => {
    const { issuer } = await server();
    for (const method of ["TRACK", "FOO"]) expect((await raw(issuer, method, "/oauth/token")).status).toBe(400);
  });
});

describe("forwarded headers", () => {
  const spoof = { "x-forwarded-for": "203.0.113.9", "x-forwarded-proto": "https", "x-forwarded-host": "evil.example" };

  it("are ignored without TRUSTED_PROXIES: the record carries the address the server saw", async () => {
    const { issuer } = await server();
    expect(await recordedAddress(issuer, spoof)).toBe("127.0.0.1");
    expect(await recordedAddress(issuer, { "x-real-ip": "203.0.113.9", forwarded: "for=203.0.113.9" })).toBe(
      "127.0.0.1",
    );
  });

  it("are believed from a trusted proxy: the right-most address that is not a trusted proxy is the client", async () => {
    const { issuer } = await server({ TRUSTED_PROXIES: "127.0.0.1,10.0.0.0/8" });
    expect(await recordedAddress(issuer, spoof)).toBe("203.0.113.9");
    // The client cannot plant an address to the left of the real one: the right-most untrusted wins.
    expect(await recordedAddress(issuer, { "x-forwarded-for": "198.51.100.66, 203.0.113.9, 10.1.2.3" })).toBe(
      "203.0.113.9",
    );
    expect(await recordedAddress(issuer, { "x-forwarded-for": "not-an-address" })).toBe("127.0.0.1");
  });

  it("from an address not in TRUSTED_PROXIES are ignored even when some proxy is trusted", async () => {
    const { issuer } = await server({ TRUSTED_PROXIES: "10.0.0.1" });
    expect(await recordedAddress(issuer, spoof)).toBe("127.0.0.1");
  });
});

describe("the hot API paths", () => {
  // startOAuthServer serves no admin API route (its `next` answers 404): whatever answers here is
  // the front door's own routing (hot-routes.ts), with the operation's contract.
  it("serves decisions itself, stamped, with the API's headers and error shape", async () => {
    const { issuer } = await server();
    // As in production, PUBLIC_URL names this server (the API's 401s point at its metadata).
    vi.stubEnv("PUBLIC_URL", issuer);
    reloadEnv();
    onTestFinished(() => {
      vi.unstubAllEnvs();
      reloadEnv();
    });
    const send = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${issuer}/api/v1/decisions`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
      });
    const noToken = await send("{}");
    expect(noToken.status).toBe(401);
    // RFC 9728 §5.1: the 401 names the API's protected resource metadata, which answers.
    expect(noToken.headers.get("www-authenticate")).toBe(
      `Bearer resource_metadata="${issuer}/.well-known/oauth-protected-resource/api/v1", error="invalid_token", error_description="Send the agent's access token: Authorization: Bearer <token>."`,
    );
    const metadata = await fetch(`${issuer}/.well-known/oauth-protected-resource/api/v1`);
    expect(metadata.status).toBe(200);
    expect(metadata.headers.get("content-type")).toBe("application/json");
    expect(await metadata.json()).toEqual({
      resource: `${issuer}/api/v1`,
      authorization_servers: [issuer],
      bearer_methods_supported: ["header"],
      resource_name: "Mandate API (admin and decisions)",
      resource_documentation: `${issuer}/api/v1/openapi.json`,
    });
    // The authorization server's own metadata names it as the issuer and announces RFC 9207's iss.
    const as = await (await fetch(`${issuer}/.well-known/oauth-authorization-server`)).json();
    expect(as).toMatchObject({ issuer, authorization_response_iss_parameter_supported: true });
    expect(noToken.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(noToken.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await noToken.json()).toMatchObject({ error: "invalid_token" });

    const auth = { authorization: `Bearer ${"x".repeat(43)}` };
    const badJson = await send("{", auth);
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ error: "invalid_json" });
    const invalid = await send(JSON.stringify({ action: 7 }), auth);
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: "invalid_request", details: { action: expect.any(Array) } });

    // An unknown token is a recorded deny, carrying the request's id.
    const unknown = await send(JSON.stringify({ action: "email.send", resource: { type: "Email", id: "m" } }), auth);
    expect(unknown.status).toBe(200);
    expect(unknown.headers.get("cache-control")).toBe("no-store");
    const answer = await unknown.json();
    expect(answer).toMatchObject({ decision: "deny", code: "token_unknown" });
    const event = await (await prisma()).auditEvent.findFirstOrThrow({ where: { targetId: answer.decision_id } });
    expect(event.requestId).toBe(unknown.headers.get("x-request-id"));

    // Other methods on the path still go where they went (here: Next's stand-in, a 404).
    expect((await fetch(`${issuer}/api/v1/decisions`)).status).toBe(404);
  });

  it("refuses a body over the limit with 413 and records nothing", async () => {
    const { issuer } = await server();
    const before = await (await prisma()).auditEvent.count();
    const r = await fetch(`${issuer}/api/v1/decisions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${"x".repeat(43)}` },
      body: " ".repeat(1024 * 1024 + 1),
    }).catch((error: Error) => error);
    // The server answers 413 and closes; a client still sending may see the reset instead.
    if (r instanceof Response) {
      expect(r.status).toBe(413);
      expect(await r.json()).toMatchObject({ error: "payload_too_large" });
    } else {
      expect(r.message).toMatch(/fetch failed|other side closed|reset/i);
    }
    expect(await (await prisma()).auditEvent.count()).toBe(before);
  });
});
