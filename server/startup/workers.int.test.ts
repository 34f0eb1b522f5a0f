import http from "node:http";
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { createCredential } from "@/server/agents/credentials";
import { verifyChain } from "@/server/audit-log/verify";
import type { UserCaller } from "@/server/auth/caller";
import { assignRole, createRole } from "@/server/catalog/roles";
import { createScope } from "@/server/catalog/scopes";
import { prisma } from "@/server/db";
import { createPolicy } from "@/server/policies/policies";
import { automationToken, insecure } from "@/tests/admin-api";
import { crmDelegation } from "@/tests/consent-flow";
import { makeAgent, makeCaller, makeTenant } from "@/tests/factories";
import { testDatabaseUrl } from "@/tests/integration-setup";
import type { OAuthTestServer } from "@/tests/oauth-server";
import {
  connectionOwners,
  ensureBuild,
  isAlive,
  type RealServer,
  request,
  startRealServer,
  workerPids,
} from "@/tests/real-server";

// The process model on PostgreSQL, on the real server (server.ts on a production build, as
// `npm start` runs it) with WORKERS=2 on this file's fresh database: both workers serve; a grant
// revoked while tokens and decisions are in flight on both stops every request sent after the
// revoke call returned; the audit chain written by both verifies; a worker that dies is replaced;
// SIGTERM stops them all. Which worker holds a connection is read from /proc, not from the server.

describe.runIf(process.env.MANDATE_TEST_DB === "postgres")("WORKERS=2 on PostgreSQL (the real server)", () => {
  let server: RealServer;
  let as: oauth.AuthorizationServer;
  let admin: UserCaller;
  let workers: number[];

  beforeAll(async () => {
    ensureBuild();
    server = await startRealServer({
      DATABASE_URL: testDatabaseUrl() as string,
      AUTH_SECRET: env().authSecret,
      WORKERS: "2",
      ...(process.env.MANDATE_TEST_SERVER_PORT ? { PORT: process.env.MANDATE_TEST_SERVER_PORT } : {}),
    });
    await server.waitFor(/Mandate is listening on .* \(PostgreSQL, 2 worker processes/);
    workers = workerPids(server.pid);
    const issuer = new URL(server.origin);
    as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { ...insecure, algorithm: "oauth2" }),
    );
    admin = await makeCaller({ global: "security_admin" });
  }, 600_000);
  afterAll(async () => {
    await server?.stop();
  });

  // Which worker holds each connection, by the client's port: sampled now and, while a test's
  // traffic flows, every 100 ms (a connection the server has closed since can no longer be looked up).
  let owners = new Map<number, number>();
  const sample = () => {
    for (const [port, pid] of connectionOwners(workers, server.port)) owners.set(port, pid);
  };
  beforeEach(() => {
    owners = new Map();
  });
  const watching = () => {
    const timer = setInterval(sample, 100);
    return () => clearInterval(timer);
  };
  /** The workers that answered these requests. */
  const servedBy = (answers: { via: number }[]) => {
    sample();
    return new Set(answers.map((a) => owners.get(a.via)).filter((pid) => pid !== undefined));
  };
  const both = () => new Set(workers);

  it("runs two workers besides the primary, and both serve requests", async () => {
    expect(workers).toHaveLength(2);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const unwatch = watching();
    const answers = await Promise.all(Array.from({ length: 8 }, () => request(agent, `${server.origin}/api/health`)));
    unwatch();
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(new Set(answers.map((a) => a.via)).size).toBe(8);
    // node:cluster hands each new connection to the next worker: eight connections, both workers.
    expect(servedBy(answers)).toEqual(both());
    agent.destroy();
  });

  it("revokes at once across the workers: zero requests sent after the revoke call returned succeed", async () => {
    const {
      agent: agentRow,
      secret,
      scope,
      tokens,
      grant,
    } = await crmDelegation({ issuer: server.origin, config: env() } as OAuthTestServer, as, admin);
    const adminToken = (await automationToken(as, admin, { role: "security_admin" })).token;

    const agent = new http.Agent({ keepAlive: true, maxSockets: 9 });
    const basic = `Basic ${Buffer.from(`${agentRow.id}:${secret}`).toString("base64")}`;
    const introspect = (token: string) =>
      request(agent, as.introspection_endpoint as string, {
        method: "POST",
        headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token }).toString(),
      });
    const requests = {
      decision: () =>
        request(agent, `${server.origin}/api/v1/decisions`, {
          method: "POST",
          headers: { authorization: `Bearer ${tokens.access_token}`, "content-type": "application/json" },
          body: JSON.stringify({ action: scope.name, resource: { type: "Contact", id: "c" } }),
        }).then((a) => ({ ...a, ok: a.status === 200 && JSON.parse(a.text).decision === "allow" })),
      "access token introspection": () =>
        introspect(tokens.access_token).then((a) => ({ ...a, ok: a.status === 200 && JSON.parse(a.text).active })),
      "refresh token introspection": () =>
        introspect(tokens.refresh_token as string).then((a) => ({
          ...a,
          ok: a.status === 200 && JSON.parse(a.text).active,
        })),
    };
    type Kind = keyof typeof requests;
    const seen: { kind: Kind; sentAt: number; doneAt: number; ok: boolean; via: number }[] = [];
    let stop = false;
    const loop = async (kind: Kind) => {
      while (!stop) {
        const sentAt = performance.now();
        const answer = await requests[kind]();
        seen.push({ kind, sentAt, doneAt: performance.now(), ok: answer.ok, via: answer.via });
      }
    };
    // Three loops per kind: nine requests in flight, on nine connections shared by the workers.
    const kinds = Object.keys(requests) as Kind[];
    const loops = kinds.flatMap((kind) => [loop(kind), loop(kind), loop(kind)]);

    const traffic = Promise.all(loops);
    const unwatch = watching();
    const tick = () => Promise.race([traffic, new Promise((r) => setTimeout(r, 10))]);
    let revokeSentAt = 0;
    let returnedAt = 0;
    try {
      // Traffic is flowing, and through both workers, when the revocation comes (a worker's first
      // decision can take a while on a busy machine: give it 30 s)...
      const warm = () => kinds.every((k) => seen.filter((s) => s.kind === k && s.ok).length >= 5);
      const deadline = performance.now() + 30_000;
      while (!(warm() && servedBy(seen).size === 2) && performance.now() < deadline) await tick();
      expect(servedBy(seen)).toEqual(both());
      revokeSentAt = performance.now();
      // (On a connection of its own: the nine loops keep theirs busy.)
      const revoked = await request(new http.Agent(), `${server.origin}/api/v1/grants/${grant.id}`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
        body: JSON.stringify({ reason: "incident drill" }),
      });
      returnedAt = performance.now();
      expect(JSON.parse(revoked.text)).toEqual({ grants: 1, tokens: 2 });
      const sentAfter = () => seen.filter((s) => s.sentAt > returnedAt);
      const until = performance.now() + 30_000;
      while (!(sentAfter().length >= 90 && servedBy(sentAfter()).size === 2) && performance.now() < until) await tick();
      // ...and still through both after it.
      expect(servedBy(seen.filter((s) => s.sentAt > returnedAt))).toEqual(both());
    } finally {
      stop = true;
      await traffic;
      unwatch();
      agent.destroy();
    }
    const after = seen.filter((s) => s.sentAt > returnedAt);

    const before = seen.filter((s) => s.doneAt < revokeSentAt);
    expect(before.filter((s) => s.ok).length).toBeGreaterThanOrEqual(15);
    expect(new Set(after.map((s) => s.kind)).size).toBe(3);
    expect(after.filter((s) => s.ok)).toEqual([]);
  }, 120_000);

  it("keeps one audit chain: after a load of decisions on both workers, it verifies", async () => {
    const tenant = await makeTenant();
    const scope = await createScope(admin, { name: "docs.read", description: "Read", risk: "low", tenant: null });
    const role = await createRole(admin, { name: "docs", tenant: null, scopes: [scope.id] });
    await createPolicy(admin, {
      name: "Docs",
      tenant: null,
      text: `permit (principal is Agent, action == Action::"${scope.name}", resource);`,
    });
    const agents = await Promise.all(
      [1, 2, 3].map(async () => {
        const row = await makeAgent(admin, tenant.id, { status: "active" });
        await assignRole(admin, row.id, role.id);
        const { secret } = await createCredential(admin, row.id, { type: "client_secret" });
        const client: oauth.Client = { client_id: row.id };
        const response = await oauth.clientCredentialsGrantRequest(
          as,
          client,
          oauth.ClientSecretBasic(secret as string),
          new URLSearchParams({ scope: scope.name }),
          insecure,
        );
        return (await oauth.processClientCredentialsResponse(as, client, response)).access_token;
      }),
    );
    const db = await prisma();
    const eventsBefore = await db.auditEvent.count();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 12 });
    const unwatch = watching();
    const answers = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const mine = [];
        for (let n = 0; n < 25; n++) {
          mine.push(
            await request(agent, `${server.origin}/api/v1/decisions`, {
              method: "POST",
              headers: { authorization: `Bearer ${agents[i % 3]}`, "content-type": "application/json" },
              body: JSON.stringify({ action: scope.name, resource: { type: "Document", id: `d-${i}-${n}` } }),
            }),
          );
        }
        return mine;
      }),
    );
    unwatch();
    expect(servedBy(answers.flat())).toEqual(both());
    agent.destroy();
    expect(answers.flat().map((a) => JSON.parse(a.text).decision)).toEqual(Array(300).fill("allow"));
    // Every decision is on record before it is answered.
    expect(await db.auditEvent.count()).toBeGreaterThanOrEqual(eventsBefore + 300);

    // An export signs a checkpoint of the head, in whichever worker serves it.
    const adminToken = (await automationToken(as, admin, { role: "security_admin" })).token;
    const exported = await request(new http.Agent(), `${server.origin}/api/v1/audit/export?format=ndjson`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(exported.status).toBe(200);

    // (Nothing else writes now: the verifier reads the head first and walks to it.)
    const result = await verifyChain(db);
    expect(result.broken).toBeUndefined();
    expect(result).toMatchObject({ ok: true, unchained: 0 });
    expect(result.events).toBeGreaterThanOrEqual(eventsBefore + 300);
    expect(result.checkpoints.valid).toBeGreaterThanOrEqual(1);
  });

  it("replaces a worker that dies, and stops every worker gracefully on SIGTERM", async () => {
    const [victim, survivor] = workers;
    process.kill(victim, "SIGKILL");
    await server.waitFor(new RegExp(`Worker ${victim} was killed by SIGKILL; starting another in 1 s\\.`));
    await server.waitFor(/Worker \d+ is serving \(2 of 2\)\./);
    workers = workerPids(server.pid);
    expect(workers).toHaveLength(2);
    expect(workers).toContain(survivor);
    expect(workers).not.toContain(victim);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const unwatch = watching();
    const answers = await Promise.all(Array.from({ length: 8 }, () => request(agent, `${server.origin}/api/health`)));
    unwatch();
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(servedBy(answers)).toEqual(both());
    agent.destroy();

    expect(await server.stop()).toBe(0);
    expect(server.lines).toContain("SIGTERM: stopping the workers");
    for (const pid of workers) expect(isAlive(pid)).toBe(false);
  });
});
