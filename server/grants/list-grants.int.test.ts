import { randomUUID } from "node:crypto";
import type * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCredential } from "@/server/agents/credentials";
import type { UserCaller } from "@/server/auth/caller";
import { assignRole, createRole } from "@/server/catalog/roles";
import { createScope } from "@/server/catalog/scopes";
import { prisma } from "@/server/db";
import { createPolicy } from "@/server/policies/policies";
import { api, automationToken, discover, startApiTestServer } from "@/tests/admin-api";
import { delegatedTokens } from "@/tests/consent-flow";
import { makeAgent, makeCaller, makeDelegation, makeTenant, unique } from "@/tests/factories";
import type { OAuthTestServer } from "@/tests/oauth-server";
import { getGrant, listGrants } from "./list-grants";
import { previewRevocation, revokeGrants } from "./revoke";
import { touchGrant } from "./usage";

let server: OAuthTestServer;
let as: oauth.AuthorizationServer;
let admin: UserCaller;
let tenant: Awaited<ReturnType<typeof makeTenant>>;
let other: Awaited<ReturnType<typeof makeTenant>>;
let owner: UserCaller;
let auditor: UserCaller;
let jordan: UserCaller;
let sam: UserCaller;
let roleId: string;
const REDIRECT = "https://agent.example/callback";

beforeAll(async () => {
  server = await startApiTestServer();
  as = await discover(server);
  admin = await makeCaller({ global: "security_admin" });
  tenant = await makeTenant();
  other = await makeTenant();
  owner = await makeCaller({ tenants: { [tenant.id]: "tenant_owner" } });
  auditor = await makeCaller({ tenants: { [tenant.id]: "auditor" } });
  jordan = await makeCaller({ tenants: { [tenant.id]: "member" }, name: "Jordan Lee" });
  sam = await makeCaller({ tenants: { [tenant.id]: "member", [other.id]: "member" }, name: "Sam Park" });
  const read = await createScope(admin, { name: "files.read", description: "Read files", risk: "low", tenant: null });
  const send = await createScope(admin, {
    name: "files.share",
    description: "Share files",
    risk: "high",
    tenant: null,
  });
  roleId = (await createRole(admin, { name: "files", tenant: null, scopes: [read.id, send.id] })).id;
  await createPolicy(admin, {
    name: "Files",
    tenant: null,
    text: `permit (principal is Agent, action == Action::"files.read", resource);`,
  });
});
afterAll(async () => {
  await server?.close();
});

/** A grant row as the consent flow writes it, for list tests that need many. */
async function grantRow(
  agentId: string,
  tenantId: string,
  userId: string,
  opts: { scopes?: string[]; createdAt?: Date; revoked?: boolean } = {},
) {
  const db = await prisma();
  return db.grant.create({
    data: {
      id: randomUUID(),
      agentId,
      tenantId,
      userId,
      scopes: opts.scopes ?? ["files.read"],
      payload: {},
      createdAt: opts.createdAt,
      revokedAt: opts.revoked ? new Date() : null,
      revokedReason: opts.revoked ? "test" : null,
    },
  });
}

describe("listing grants", () => {
  it("shows a tenant's grants to its owner and auditor, and members only their own", async () => {
    const t = await makeTenant();
    const o = await makeCaller({ tenants: { [t.id]: "tenant_owner" } });
    const m = await makeCaller({ tenants: { [t.id]: "member" } });
    const n = await makeCaller({ tenants: { [t.id]: "member" } });
    const agent = await makeAgent(admin, t.id, { status: "active" });
    const mine = await grantRow(agent.id, t.id, m.id);
    await grantRow(agent.id, t.id, n.id);

    expect((await listGrants(o, { tenant: t.slug })).rows).toHaveLength(2);
    expect((await listGrants(admin, { tenant: t.id })).total).toBe(2);
    // A member sees their own whether or not they ask for "mine".
    expect((await listGrants(m, { tenant: t.slug })).rows.map((r) => r.id)).toEqual([mine.id]);
    expect((await listGrants(m, { tenant: t.slug, mine: "true" })).rows.map((r) => r.id)).toEqual([mine.id]);
    expect((await listGrants(o, { tenant: t.slug, mine: "true" })).rows).toEqual([]);
    // Another tenant's owner cannot name this tenant, and does not see its grants without naming it.
    await expect(listGrants(owner, { tenant: t.slug })).rejects.toMatchObject({ status: 400 });
    expect((await listGrants(owner, { agent: agent.id })).rows).toEqual([]);
    // Nor can they read one of them.
    await expect(getGrant(owner, mine.id)).rejects.toMatchObject({ status: 404 });
    await expect(getGrant(n, mine.id)).rejects.toMatchObject({ status: 404 });
    expect((await getGrant(m, mine.id)).id).toBe(mine.id);
    expect((await getGrant(auditor, (await grantRow(agent.id, tenant.id, sam.id)).id)).user.id).toBe(sam.id);
  });

  it("filters by user, agent, scope, risk, status and search, and says what each grant holds", async () => {
    const t = await makeTenant();
    const o = await makeCaller({ tenants: { [t.id]: "tenant_owner" } });
    const p = await makeCaller({ tenants: { [t.id]: "member" }, name: "Pat_Underscore" });
    const q = await makeCaller({ tenants: { [t.id]: "member" }, name: "Quinn Patterson" });
    const crm = await makeAgent(admin, t.id, { status: "active", name: unique("crm-sync") });
    const mailer = await makeAgent(admin, t.id, { status: "active", name: unique("mailer") });
    const a = await grantRow(crm.id, t.id, p.id, { scopes: ["files.read"] });
    const b = await grantRow(mailer.id, t.id, p.id, { scopes: ["files.read", "files.share"] });
    const c = await grantRow(mailer.id, t.id, q.id, { scopes: ["files.read"], revoked: true });
    const ids = async (input: Record<string, string>) =>
      (await listGrants(o, { tenant: t.slug, ...input })).rows.map((r) => r.id).sort();

    expect(await ids({})).toEqual([a.id, b.id].sort());
    expect(await ids({ status: "revoked" })).toEqual([c.id]);
    expect(await ids({ status: "all" })).toEqual([a.id, b.id, c.id].sort());
    expect(await ids({ user: p.id })).toEqual([a.id, b.id].sort());
    expect(await ids({ agent: mailer.id, status: "all" })).toEqual([b.id, c.id].sort());
    expect(await ids({ scope: "files.share" })).toEqual([b.id]);
    expect(await ids({ risk: "high" })).toEqual([b.id]);
    expect(await ids({ risk: "medium" })).toEqual([]);
    expect(await ids({ q: "crm-sync" })).toEqual([a.id]);
    // "_" is a character in a search, not LIKE's wildcard: "Pat_U" finds Pat_Underscore only.
    expect(await ids({ q: "pat_u", status: "all" })).toEqual([a.id, b.id].sort());
    expect(await ids({ q: "PATTERSON", status: "all" })).toEqual([c.id]);

    const row = (await listGrants(o, { tenant: t.slug, scope: "files.share" })).rows[0];
    expect(row).toMatchObject({
      tenant: { id: t.id, slug: t.slug },
      user: { id: p.id, name: "Pat_Underscore" },
      agent: { id: mailer.id, status: "active", consentWithdrawn: false },
      scopes: [
        { name: "files.read", risk: "low" },
        { name: "files.share", risk: "high" },
      ],
      risk: "high",
      status: "active",
      liveTokens: 0,
      lastUsedAt: null,
    });
  });

  it("pages by cursor both ways, in either order, with exact totals", async () => {
    const t = await makeTenant();
    const o = await makeCaller({ tenants: { [t.id]: "tenant_owner" } });
    const agent = await makeAgent(admin, t.id, { status: "active" });
    const base = Date.now() - 3_600_000;
    // Rows sharing a created_at are ordered by id: the keyset must not skip or repeat them.
    const rows = [];
    for (let i = 0; i < 60; i++) {
      rows.push(await grantRow(agent.id, t.id, owner.id, { createdAt: new Date(base + Math.floor(i / 3) * 1000) }));
    }
    const newestFirst = [...rows]
      .sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime() || (y.id < x.id ? -1 : 1))
      .map((r) => r.id);

    const p1 = await listGrants(o, { tenant: t.slug });
    expect(p1).toMatchObject({ total: 60, totalCapped: false, prevCursor: null });
    const p2 = await listGrants(o, { tenant: t.slug, cursor: p1.nextCursor as string });
    const p3 = await listGrants(o, { tenant: t.slug, cursor: p2.nextCursor as string });
    expect(p3.nextCursor).toBeNull();
    expect([...p1.rows, ...p2.rows, ...p3.rows].map((r) => r.id)).toEqual(newestFirst);
    expect(p3.rows).toHaveLength(10);
    // Back from the last page: the same rows as going forward.
    const back = await listGrants(o, { tenant: t.slug, cursor: p3.prevCursor as string });
    expect(back.rows.map((r) => r.id)).toEqual(p2.rows.map((r) => r.id));
    const first = await listGrants(o, { tenant: t.slug, cursor: back.prevCursor as string });
    expect(first.rows.map((r) => r.id)).toEqual(p1.rows.map((r) => r.id));
    expect(first.prevCursor).toBeNull();

    const asc = await listGrants(o, { tenant: t.slug, dir: "asc", page_size: "50" });
    const rest = await listGrants(o, { tenant: t.slug, dir: "asc", page_size: "50", cursor: asc.nextCursor as string });
    expect([...asc.rows, ...rest.rows].map((r) => r.id)).toEqual([...newestFirst].reverse());
  });

  it("caps the count beyond 10,000 rows instead of counting a million", async () => {
    const t = await makeTenant();
    const agent = await makeAgent(admin, t.id, { status: "active" });
    const db = await prisma();
    await db.grant.createMany({
      data: Array.from({ length: 10_005 }, () => ({
        id: randomUUID(),
        agentId: agent.id,
        tenantId: t.id,
        userId: owner.id,
        scopes: ["files.read"],
        payload: {},
      })),
    });
    const page = await listGrants(admin, { tenant: t.id, page_size: "10" });
    expect(page).toMatchObject({ total: 10_000, totalCapped: true });
    expect(page.rows).toHaveLength(10);
  });

  it("refuses bad filters with the field named", async () => {
    for (const [input, field] of [
      [{ page_size: "7" }, "page_size"],
      [{ cursor: "not-a-cursor" }, "cursor"],
      [{ status: "gone" }, "status"],
      [{ user: "x" }, "user"],
      [{ risk: "extreme" }, "risk"],
      [{ dir: "up" }, "dir"],
    ] as const) {
      await expect(listGrants(owner, input)).rejects.toMatchObject({
        status: 400,
        details: { [field]: [expect.any(String)] },
      });
    }
  });
});

describe("live tokens and last use", () => {
  it("counts a grant's live tokens and records when they were last used", async () => {
    const agent = await makeAgent(admin, tenant.id, { status: "active", redirect_uris: [REDIRECT] });
    await assignRole(admin, agent.id, roleId);
    const { secret } = await createCredential(admin, agent.id, { type: "client_secret" });
    const tokens = await delegatedTokens(server, as, {
      agentId: agent.id,
      secret: secret as string,
      redirectUri: REDIRECT,
      user: jordan,
      scope: "files.read",
    });
    const [row] = (await listGrants(owner, { agent: agent.id })).rows;
    expect(row).toMatchObject({ user: { id: jordan.id }, liveTokens: 2, scopes: [{ name: "files.read" }] });
    // The exchange presented the code: that is a use.
    const exchanged = row.lastUsedAt;
    expect(exchanged).toBeInstanceOf(Date);

    expect(Date.now() - (exchanged as Date).getTime()).toBeLessThan(60_000);
    // Presenting the access token to the decision endpoint is a use too.
    expect(
      (
        await api(tokens.access_token, "POST", "/decisions", {
          action: "files.read",
          resource: { type: "Document", id: "d" },
        })
      ).body.decision,
    ).toBe("allow");
  });

  it("writes a grant's last use at most once a minute", async () => {
    const agent = await makeAgent(admin, tenant.id, { status: "active" });
    const grant = await grantRow(agent.id, tenant.id, jordan.id);
    const db = await prisma();
    const lastUsed = async () => (await db.grant.findUniqueOrThrow({ where: { id: grant.id } })).lastUsedAt?.getTime();
    const t0 = Date.now() + 3_600_000;
    await touchGrant(db, grant.id, t0);
    expect(await lastUsed()).toBe(t0);
    await touchGrant(db, grant.id, t0 + 30_000);
    expect(await lastUsed()).toBe(t0);
    await touchGrant(db, grant.id, t0 + 61_000);
    expect(await lastUsed()).toBe(t0 + 61_000);
  });

  it("a decision with a delegated token records the use of its grant", async () => {
    const agent = await makeAgent(admin, tenant.id, { status: "active" });
    await assignRole(admin, agent.id, roleId);
    const { grantId, token: value } = await makeDelegation({
      agent,
      userId: jordan.id,
      scopes: ["files.read"],
      publicUrl: server.issuer,
    });
    const grant = { id: grantId };
    expect((await getGrant(owner, grant.id)).lastUsedAt).toBeNull();
    const answer = await api(value, "POST", "/decisions", {
      action: "files.read",
      resource: { type: "Document", id: "d" },
    });
    expect(answer.body.decision).toBe("allow");
    expect((await getGrant(owner, grant.id)).lastUsedAt).toBeInstanceOf(Date);
  });
});

describe("impact previews and bulk revocation", () => {
  it("states what a revocation would take, with the act's own permission checks", async () => {
    const agent = await makeAgent(admin, tenant.id, { status: "active", redirect_uris: [REDIRECT] });
    await assignRole(admin, agent.id, roleId);
    const { secret } = await createCredential(admin, agent.id, { type: "client_secret" });
    for (const user of [jordan, sam]) {
      await delegatedTokens(server, as, {
        agentId: agent.id,
        secret: secret as string,
        redirectUri: REDIRECT,
        user,
        scope: "files.read",
      });
    }
    const grants = (await listGrants(owner, { agent: agent.id })).rows;
    const ids = grants.map((g) => g.id);
    expect(await previewRevocation(owner, { kind: "grants", grant_ids: ids })).toEqual({
      grants: 2,
      tokens: 4,
      users: 2,
    });
    expect(await previewRevocation(owner, { kind: "consent", agent: agent.id })).toEqual({
      grants: 2,
      tokens: 4,
      users: 2,
    });
    // The kill switch also revokes the agent's live credential.
    expect(await previewRevocation(admin, { kind: "kill", agent: agent.id })).toEqual({
      grants: 2,
      tokens: 4,
      users: 2,
      credentials: 1,
    });
    // Offboarding reaches every grant the person gave in the tenant, this agent's and others'.
    const everything = (await listGrants(owner, { tenant: tenant.slug, user: jordan.id, page_size: "100" })).rows;
    expect(await previewRevocation(owner, { kind: "user", user: jordan.id })).toEqual({
      grants: everything.length,
      tokens: everything.reduce((n, g) => n + g.liveTokens, 0),
      users: 1,
    });
    // A member previews their own grant, not someone else's; a tenant owner is not the agent's owner.
    const jordans = grants.find((g) => g.user.id === jordan.id)?.id as string;
    const sams = grants.find((g) => g.user.id === sam.id)?.id as string;
    expect(await previewRevocation(jordan, { kind: "grants", grant_ids: [jordans] })).toEqual({
      grants: 1,
      tokens: 2,
      users: 1,
    });
    await expect(previewRevocation(jordan, { kind: "grants", grant_ids: [sams] })).rejects.toMatchObject({
      status: 404,
    });
    await expect(previewRevocation(owner, { kind: "kill", agent: agent.id })).rejects.toMatchObject({ status: 403 });
    await expect(previewRevocation(owner, { kind: "nothing" })).rejects.toMatchObject({ status: 400 });

    // Bulk: all or nothing. One grant from another tenant in the selection refuses the whole request.
    const foreign = await grantRow((await makeAgent(admin, other.id, { status: "active" })).id, other.id, sam.id);
    await expect(revokeGrants(owner, { grant_ids: [...ids, foreign.id], reason: "clean up" })).rejects.toMatchObject({
      status: 404,
    });
    expect((await listGrants(owner, { agent: agent.id })).rows).toHaveLength(2);

    expect(await revokeGrants(owner, { grant_ids: ids, reason: "clean up" })).toEqual({
      grants: 2,
      tokens: 4,
      skipped: 0,
    });
    expect(await revokeGrants(owner, { grant_ids: ids, reason: "again" })).toEqual({
      grants: 0,
      tokens: 0,
      skipped: 2,
    });
    const events = await (await prisma()).auditEvent.findMany({
      where: { action: "grant.revoke", targetId: { in: ids } },
    });
    expect(events.map((e) => e.reason)).toEqual(["clean up", "clean up"]);
    expect(await previewRevocation(owner, { kind: "consent", agent: agent.id })).toEqual({
      grants: 0,
      tokens: 0,
      users: 0,
    });
  });
});

describe("through the admin API", () => {
  it("lists, reads, previews and revokes grants; refuses bad input", async () => {
    const adminToken = (await automationToken(as, admin, { role: "security_admin" })).token;
    const ownerToken = (await automationToken(as, admin, { role: "tenant_owner", tenant: other.slug })).token;
    const agent = await makeAgent(admin, other.id, { status: "active" });
    const leaver = await makeCaller({ tenants: { [other.id]: "member" } });
    const g1 = await grantRow(agent.id, other.id, leaver.id, { scopes: ["files.read", "files.share"] });
    const g2 = await grantRow(agent.id, other.id, leaver.id);

    const list = await api(ownerToken, "GET", `/grants?agent=${agent.id}&page_size=10`);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 2, total_capped: false, next_cursor: null, prev_cursor: null });
    expect(list.body.data?.[0]).toMatchObject({ id: g2.id, live_tokens: 0, risk: "low", last_used_at: null });
    const one = await api(ownerToken, "GET", `/grants/${g1.id}`);
    expect(one.body).toMatchObject({ id: g1.id, risk: "high", agent: { consent_withdrawn: false } });
    // The owner of another tenant's client does not see this tenant's grants.
    expect((await api(ownerToken, "GET", `/grants?tenant=${tenant.slug}`)).status).toBe(400);

    const bad = await api(ownerToken, "GET", "/grants?page_size=3");
    expect(bad).toMatchObject({
      status: 400,
      body: { error: "invalid_request", details: { page_size: expect.any(Array) } },
    });
    expect((await api(null, "GET", "/grants")).status).toBe(401);
    expect((await api(adminToken, "GET", "/grants/nope")).status).toBe(404);

    expect(
      (await api(ownerToken, "POST", "/grants/impact", { kind: "grants", grant_ids: [g1.id, g2.id] })).body,
    ).toEqual({
      grants: 2,
      tokens: 0,
      users: 1,
    });
    const noKind = await api(ownerToken, "POST", "/grants/impact", { grant_ids: [g1.id] });
    expect(noKind.status).toBe(400);
    const noReason = await api(ownerToken, "POST", "/grants/revoke", { grant_ids: [g1.id] });
    expect(noReason).toMatchObject({ status: 400, body: { details: { reason: expect.any(Array) } } });
    expect((await api(ownerToken, "POST", "/grants/revoke", { grant_ids: [], reason: "x" })).status).toBe(400);
    expect((await api(ownerToken, "GET", `/grants/${g1.id}`)).body.status).toBe("active");

    expect(
      (await api(ownerToken, "POST", "/grants/revoke", { grant_ids: [g1.id], reason: "audit finding" })).body,
    ).toEqual({
      grants: 1,
      tokens: 0,
      skipped: 0,
    });
    expect(
      (await api(adminToken, "POST", `/users/${leaver.id}/grants/revoke`, { reason: "left the company" })).body,
    ).toEqual({ grants: 1, tokens: 0 });
    expect((await api(adminToken, "POST", "/users/not-a-user/grants/revoke", { reason: "left" })).status).toBe(404);
    const revoked = await api(ownerToken, "GET", `/grants?agent=${agent.id}&status=revoked`);
    expect(revoked.body.data?.map((g) => g.revoked_reason).sort()).toEqual(["audit finding", "left the company"]);
  });
});
