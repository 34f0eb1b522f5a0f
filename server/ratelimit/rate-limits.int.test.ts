import type * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { reloadEnv } from "@/lib/env";
import { createCredential } from "@/server/agents/credentials";
import type { UserCaller } from "@/server/auth/caller";
import { assignRole, createRole } from "@/server/catalog/roles";
import { createScope } from "@/server/catalog/scopes";
import { prisma } from "@/server/db";
import { createPolicy } from "@/server/policies/policies";
import { api, discover, startApiTestServer } from "@/tests/admin-api";
import { makeAgent, makeCaller, makeTenant, unique } from "@/tests/factories";
import type { OAuthTestServer } from "@/tests/oauth-server";
import { FLUSH_MS, RateLimiter, WINDOW_MS } from "./limiter";

// Rate limits per client and per source address on /oauth/token, introspection and decisions:
// a burst past the limit is answered 429 with Retry-After, the trip is recorded once, and the
// counts are shared through the database by every instance.

const LIMIT = 5;
let server: OAuthTestServer;
let as: oauth.AuthorizationServer;
let admin: UserCaller;
let tenant: Awaited<ReturnType<typeof makeTenant>>;
let scope: string;
let roleId: string;

beforeAll(async () => {
  vi.stubEnv("RATE_LIMIT_TOKEN_PER_MINUTE", String(LIMIT));
  vi.stubEnv("RATE_LIMIT_INTROSPECTION_PER_MINUTE", String(LIMIT));
  vi.stubEnv("RATE_LIMIT_DECISIONS_PER_MINUTE", String(LIMIT));
  vi.stubEnv("RATE_LIMIT_PER_ADDRESS_PER_MINUTE", String(4 * LIMIT));
  reloadEnv();
  // Requests carry the address a trusted proxy vouches for, so that each test has addresses of its own.
  server = await startApiTestServer({ TRUSTED_PROXIES: "127.0.0.1" });
  as = await discover(server);
  admin = await makeCaller({ global: "security_admin" });
  tenant = await makeTenant();
  scope = unique("limits.read");
  const s = await createScope(admin, { name: scope, description: "Limits", risk: "low", tenant: null });
  roleId = (await createRole(admin, { name: unique("limits"), tenant: null, scopes: [s.id] })).id;
  await createPolicy(admin, {
    name: unique("Limits"),
    tenant: null,
    text: `permit (principal is Agent, action == Action::"${scope}", resource);`,
  });
});
afterAll(async () => {
  await server?.close();
  vi.unstubAllEnvs();
  reloadEnv();
});

/** Bursts stay inside one window: a test close to a minute's end waits for the next one. */
async function awayFromWindowEdge() {
  const left = WINDOW_MS - (Date.now() % WINDOW_MS);
  if (left < 10_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

let lastOctet = 0;
const address = () => `198.51.100.${++lastOctet}`;

async function agent() {
  const row = await makeAgent(admin, tenant.id, { status: "active" });
  await assignRole(admin, row.id, roleId);
  const { secret } = await createCredential(admin, row.id, { type: "client_secret" });
  return { id: row.id, secret: secret as string };
}

function tokenRequest(a: { id: string; secret: string }, from: string) {
  return fetch(as.token_endpoint as string, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${a.id}:${a.secret}`).toString("base64")}`,
      "x-forwarded-for": from,
    },
    body: new URLSearchParams({ grant_type: "client_credentials", scope }),
  });
}

const trips = async (subject: string) =>
  (await prisma()).auditEvent.count({ where: { action: "rate_limit.exceeded", targetId: { endsWith: subject } } });

describe("the token endpoint", () => {
  it("gives a client its limit a minute, then 429 with Retry-After; the trip is recorded once", async () => {
    await awayFromWindowEdge();
    const a = await agent();
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < LIMIT + 3; i++) {
      const r = await tokenRequest(a, address());
      statuses.push(r.status);
      if (r.status === 429) {
        retryAfter = r.headers.get("retry-after");
        expect(await r.json()).toMatchObject({ error: "too_many_requests" });
      }
    }
    expect(statuses).toEqual([...Array(LIMIT).fill(200), 429, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
    expect(await trips(a.id)).toBe(1);
    // The refused requests are not each written down as refusals.
    const refusals = await (await prisma()).auditEvent.count({
      where: { action: "oauth.token.refused", actorId: a.id },
    });
    expect(refusals).toBe(0);
  });

  it("gives a source address its limit across clients", async () => {
    await awayFromWindowEdge();
    const from = address();
    const clients = await Promise.all(Array.from({ length: 5 }, () => agent()));
    const statuses: number[] = [];
    for (let i = 0; i < 4 * LIMIT + 2; i++) statuses.push((await tokenRequest(clients[i % 5], from)).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(4 * LIMIT);
    expect(statuses.slice(-2)).toEqual([429, 429]);
    expect(await trips(from)).toBe(1);
  });
});

describe("introspection", () => {
  it("gives the introspecting client its limit", async () => {
    await awayFromWindowEdge();
    const a = await agent();
    const token = ((await (await tokenRequest(a, address())).json()) as { access_token: string }).access_token;
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 2; i++) {
      const r = await fetch(as.introspection_endpoint as string, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Basic ${Buffer.from(`${a.id}:${a.secret}`).toString("base64")}`,
          "x-forwarded-for": address(),
        },
        body: new URLSearchParams({ token }),
      });
      statuses.push(r.status);
    }
    expect(statuses).toEqual([...Array(LIMIT).fill(200), 429, 429]);
  });
});

describe("decisions", () => {
  it("give an agent its limit a minute, then 429 with Retry-After", async () => {
    await awayFromWindowEdge();
    const a = await agent();
    const token = ((await (await tokenRequest(a, address())).json()) as { access_token: string }).access_token;
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 2; i++) {
      const r = await api(token, "POST", "/decisions", { action: scope, resource: { type: "Document", id: "d" } });
      statuses.push(r.status);
      if (r.status === 429) expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([...Array(LIMIT).fill(200), 429, 429]);
    expect(await trips(a.id)).toBe(1);
  });
});

describe("across instances", () => {
  it("shares the counts through the database: an instance sees the others' within a flush", async () => {
    await awayFromWindowEdge();
    const key = unique("shared");
    const one = new RateLimiter(prisma);
    const two = new RateLimiter(prisma);
    for (let i = 0; i < LIMIT; i++) expect(one.hit(key, LIMIT).ok).toBe(true);
    await one.flush();
    // The second instance has not heard yet: its first request goes through, and its flush
    // brings back the installation's total.
    expect(two.hit(key, LIMIT).ok).toBe(true);
    await two.flush();
    expect(two.hit(key, LIMIT).ok).toBe(false);
    await one.flush();
    expect(one.hit(key, LIMIT).ok).toBe(false);
    const row = await (await prisma()).rateLimitCounter.findFirstOrThrow({ where: { key } });
    expect(row.count).toBe(LIMIT + 1);
  });

  it("records a trip once for the installation, although every process trips on its own", async () => {
    await awayFromWindowEdge();
    const key = unique("trip");
    const processes = [new RateLimiter(prisma), new RateLimiter(prisma), new RateLimiter(prisma)];
    const verdicts = processes.map((p) => {
      expect(p.hit(key, 1).ok).toBe(true);
      return p.hit(key, 1);
    });
    for (const v of verdicts) expect(v).toMatchObject({ ok: false, tripped: true });
    const window = (verdicts[0] as { window: number }).window;
    const claims = await Promise.all(processes.map((p) => p.claimTrip(key, window)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    // The next window trips and is recorded afresh.
    expect(await processes[1].claimTrip(key, window + 1)).toBe(true);
  });

  it("flushes on its own a quarter second after counting", async () => {
    const key = unique("timer");
    const limiter = new RateLimiter(prisma);
    limiter.hit(key, 100);
    limiter.hit(key, 100);
    await new Promise((resolve) => setTimeout(resolve, FLUSH_MS * 3));
    const row = await (await prisma()).rateLimitCounter.findFirst({ where: { key } });
    expect(row?.count).toBe(2);
  });
});
