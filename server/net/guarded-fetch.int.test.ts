import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair } from "jose";
import * as oauth from "oauth4webapi";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { reloadEnv } from "@/lib/env";
import { createCredential } from "@/server/agents/credentials";
import type { UserCaller } from "@/server/auth/caller";
import { prisma } from "@/server/db";
import { discover, insecure, startApiTestServer } from "@/tests/admin-api";
import { makeAgent, makeCaller, makeTenant } from "@/tests/factories";
import type { OAuthTestServer } from "@/tests/oauth-server";
import { guardedFetch, OutboundRefusedError } from "./guarded-fetch";

// Requests Mandate makes on someone else's behalf (SSRF). Regression: a JWKS URL registered for an
// agent could point at loopback, link-local (cloud metadata) or private addresses, and a token
// request made Mandate connect there. A listener on loopback counts the connections that reach it.

let listener: Server;
let port: number;
let connections = 0;
let jwks: { keys: object[] } = { keys: [] };

beforeAll(async () => {
  listener = createServer((req, res) => {
    if (req.url === "/redirect") return res.writeHead(302, { location: "http://169.254.169.254/latest" }).end();
    if (req.url === "/huge") return res.writeHead(200).end("x".repeat(200_000));
    if (req.url === "/slow") return; // never answers
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(jwks));
  });
  listener.on("connection", () => connections++);
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  port = (listener.address() as AddressInfo).port;
});
afterAll(async () => {
  listener.closeAllConnections();
  await new Promise((resolve) => listener.close(resolve));
});
afterEach(() => {
  vi.unstubAllEnvs();
  reloadEnv();
});

const refusal = (url: string) =>
  guardedFetch(url).then(
    () => null,
    (error) => error,
  );

describe("the guarded fetcher", () => {
  it("never connects to loopback, however the address is written", async () => {
    const before = connections;
    for (const url of [
      `http://127.0.0.1:${port}/jwks`,
      `https://127.0.0.1:${port}/jwks`,
      `https://localhost:${port}/jwks`,
      `https://127.1:${port}/jwks`,
      `https://2130706433:${port}/jwks`,
      `https://0x7f.0.0.1:${port}/jwks`,
      `https://[::ffff:127.0.0.1]:${port}/jwks`,
      `https://[::1]:${port}/jwks`,
      `https://user:pass@example.com/jwks`,
      "ftp://example.com/jwks",
      "not a url",
    ]) {
      const error = await refusal(url);
      expect(error, url).toBeInstanceOf(OutboundRefusedError);
    }
    expect(connections).toBe(before);
  });

  it("refuses private, link-local, unique-local and metadata addresses before connecting", async () => {
    for (const url of [
      "https://10.203.0.1/jwks",
      "https://172.20.1.1/jwks",
      "https://192.168.1.10/jwks",
      "https://169.254.169.254/latest/meta-data/",
      "https://[fd00::1]/jwks",
      "https://[fe80::1]/jwks",
      "https://100.64.0.1/jwks",
      "https://0.0.0.0/jwks",
    ]) {
      const started = Date.now();
      const error = await refusal(url);
      expect(error, url).toBeInstanceOf(OutboundRefusedError);
      expect(error.message, url).toMatch(/private, loopback or link-local/);
      expect(Date.now() - started, url).toBeLessThan(1_000);
    }
  });

  it("reaches an internal address the operator allows, but follows no redirect and reads no more than its cap", async () => {
    vi.stubEnv("OUTBOUND_ALLOW", "127.0.0.1");
    reloadEnv();
    jwks = { keys: [{ kty: "oct", k: "x" }] };
    const ok = await guardedFetch(`http://127.0.0.1:${port}/jwks`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual(jwks);
    const redirected = await refusal(`http://127.0.0.1:${port}/redirect`);
    expect(redirected).toBeInstanceOf(OutboundRefusedError);
    expect(redirected.message).toMatch(/redirects are not followed/);
    const huge = await guardedFetch(`http://127.0.0.1:${port}/huge`, { maxBytes: 10_000 }).catch((e) => e);
    expect(huge).toBeInstanceOf(OutboundRefusedError);
    const started = Date.now();
    const slow = await guardedFetch(`http://127.0.0.1:${port}/slow`, { timeoutMs: 300 }).catch((e) => e);
    expect(slow).toBeInstanceOf(Error);
    expect(Date.now() - started).toBeLessThan(2_000);
    // Allowing one address allows no other.
    expect(await refusal(`https://127.0.0.2:${port}/jwks`)).toBeInstanceOf(OutboundRefusedError);
  });
});

describe("an agent's JWKS URL", () => {
  let server: OAuthTestServer;
  let as: oauth.AuthorizationServer;
  let admin: UserCaller;
  let tenant: Awaited<ReturnType<typeof makeTenant>>;
  beforeAll(async () => {
    server = await startApiTestServer();
    as = await discover(server);
    admin = await makeCaller({ global: "security_admin" });
    tenant = await makeTenant();
  });
  afterAll(async () => {
    await server?.close();
  });

  it("naming a private address is refused at registration, naming the field", async () => {
    const agent = await makeAgent(admin, tenant.id, { status: "active" });
    for (const url of ["https://169.254.169.254/keys", "https://10.0.0.5/jwks", "https://[::1]/jwks"]) {
      const error = await createCredential(admin, agent.id, { type: "jwk", jwks_url: url }).catch((e) => e);
      expect(Object.keys(error.details ?? {}), url).toEqual(["jwks_url"]);
    }
  });

  it("is not fetched when it resolves to loopback: the token request is refused, on record, and nothing connects", async () => {
    const agent = await makeAgent(admin, tenant.id, { status: "active" });
    const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
    jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256" }] };
    // A host name, so registration (which resolves nothing) takes it; the fetch resolves it.
    await createCredential(admin, agent.id, { type: "jwk", jwks_url: `https://localhost:${port}/jwks` });
    const before = connections;
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      { client_id: agent.id },
      oauth.PrivateKeyJwt({ key: privateKey, kid: "k1" }),
      new URLSearchParams(),
      insecure,
    );
    expect(response.status).toBe(401);
    expect(connections).toBe(before);
    const event = await (await prisma()).auditEvent.findFirstOrThrow({
      where: { action: "oauth.token.refused", actorId: agent.id },
      orderBy: { seq: "desc" },
    });
    expect(event.reason).toMatch(/\/jwks refused: .*loopback/);
  });
});
