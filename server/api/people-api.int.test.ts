import type * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assignRole, createRole } from "@/server/catalog/roles";
import { createScope } from "@/server/catalog/scopes";
import { prisma } from "@/server/db";
import { createPolicy } from "@/server/policies/policies";
import { api, automationToken, discover, startApiTestServer } from "@/tests/admin-api";
import { makeAgent, makeCaller, makeDelegation, makeTenant, unique } from "@/tests/factories";
import type { OAuthTestServer } from "@/tests/oauth-server";
import type { UserCaller } from "../auth/caller";
import { acceptInvitationWithPassword } from "../users/accept-invitation";

// The admin API's tenants, members, people and invitations: every operation with its refusals
// (401, 403, 404, 400, 409), tenant owners' clients confined to their tenant, and a leaver's
// delegated token denied on the next request after their deactivation.

let server: OAuthTestServer;
let as: oauth.AuthorizationServer;
let admin: UserCaller;
let tenantA: Awaited<ReturnType<typeof makeTenant>>;
let tenantB: Awaited<ReturnType<typeof makeTenant>>;
let ownerA: UserCaller;
let adminToken: string;
let ownerToken: string;
let auditorToken: string;

beforeAll(async () => {
  server = await startApiTestServer();
  as = await discover(server);
  admin = await makeCaller({ global: "security_admin" });
  tenantA = await makeTenant();
  tenantB = await makeTenant();
  ownerA = await makeCaller({ tenants: { [tenantA.id]: "tenant_owner" } });
  adminToken = (await automationToken(as, admin, { role: "security_admin" })).token;
  ownerToken = (await automationToken(as, admin, { role: "tenant_owner", tenant: tenantA.slug })).token;
  auditorToken = (await automationToken(as, admin, { role: "auditor" })).token;
});
afterAll(async () => {
  await server?.close();
});

const PASSWORD = "a long enough passphrase";
const email = () => `${unique("api-person")}@example.com`;

describe("without a token", () => {
  it("answers 401 invalid_token to every operation", async () => {
    const calls: [string, string][] = [
      ["GET", "/tenants"],
      ["POST", "/tenants"],
      ["GET", `/tenants/${tenantA.slug}`],
      ["PATCH", `/tenants/${tenantA.slug}`],
      ["GET", `/tenants/${tenantA.slug}/members`],
      ["POST", `/tenants/${tenantA.slug}/members`],
      ["PATCH", `/tenants/${tenantA.slug}/members/${ownerA.id}`],
      ["DELETE", `/tenants/${tenantA.slug}/members/${ownerA.id}`],
      ["GET", "/users"],
      ["POST", "/users"],
      ["GET", `/users/${ownerA.id}`],
      ["GET", `/users/${ownerA.id}/offboarding`],
      ["POST", `/users/${ownerA.id}/deactivate`],
      ["POST", `/users/${ownerA.id}/reactivate`],
      ["GET", "/invitations"],
      ["GET", `/invitations/${ownerA.id}`],
      ["DELETE", `/invitations/${ownerA.id}`],
      ["POST", `/invitations/${ownerA.id}/resend`],
    ];
    for (const [method, path] of calls) {
      const r = await api(null, method, path, method === "GET" ? undefined : {});
      expect(r.status, `${method} ${path}`).toBe(401);
      expect(r.body.error).toBe("invalid_token");
    }
  });
});

describe("tenants", () => {
  it("a security admin creates, reads, lists and renames tenants; slugs are validated and unique", async () => {
    const slug = unique("api-tenant");
    const created = await api(adminToken, "POST", "/tenants", { name: "Umbrella Labs", slug });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ slug, name: "Umbrella Labs", agents: 0, members: 0, live_grants: 0 });
    const id = created.body.id as string;

    const duplicate = await api(adminToken, "POST", "/tenants", { name: "Another", slug });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ error: "conflict", details: { slug: [expect.any(String)] } });
    const bad = await api(adminToken, "POST", "/tenants", { name: "", slug: "Not A Slug" });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.details as object).sort()).toEqual(["name", "slug"]);
    const reserved = await api(adminToken, "POST", "/tenants", { name: "API", slug: "api" });
    expect(reserved.status).toBe(400);

    for (const ref of [slug, id]) {
      const got = await api(adminToken, "GET", `/tenants/${ref}`);
      expect(got.status).toBe(200);
      expect(got.body.id).toBe(id);
    }
    const renamed = await api(adminToken, "PATCH", `/tenants/${slug}`, { name: "Umbrella Research" });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: "Umbrella Research", slug });
    const event = await (await prisma()).auditEvent.findFirstOrThrow({
      where: { action: "tenant.update", tenantId: id },
    });
    expect(event.data).toEqual({
      before: { name: "Umbrella Labs", slug },
      after: { name: "Umbrella Research", slug },
    });
    const taken = await api(adminToken, "PATCH", `/tenants/${slug}`, { slug: tenantA.slug });
    expect(taken.status).toBe(409);

    const list = await api(adminToken, "GET", `/tenants?q=umbrella&page_size=10`);
    expect(list.status).toBe(200);
    expect(list.body.data?.map((t) => t.slug)).toEqual([slug]);
  });

  it("a tenant owner's client reads only its own tenant and creates or renames none", async () => {
    const list = await api(ownerToken, "GET", "/tenants");
    expect(list.body.data?.map((t) => t.id)).toEqual([tenantA.id]);
    expect((await api(ownerToken, "GET", `/tenants/${tenantB.slug}`)).status).toBe(404);
    expect((await api(ownerToken, "GET", "/tenants/no-such-tenant")).status).toBe(404);
    expect((await api(ownerToken, "POST", "/tenants", { name: "Mine", slug: unique("mine") })).status).toBe(403);
    expect((await api(ownerToken, "PATCH", `/tenants/${tenantA.slug}`, { name: "Renamed" })).status).toBe(403);
    expect((await api(auditorToken, "POST", "/tenants", { name: "Audit", slug: unique("audit") })).status).toBe(403);
  });
});

describe("members", () => {
  it("adds, lists, changes and removes members; the last owner stays", async () => {
    const t = await makeTenant();
    const owner = await makeCaller({ tenants: { [t.id]: "tenant_owner" } });
    const person = await makeCaller();
    const added = await api(adminToken, "POST", `/tenants/${t.slug}/members`, { user: person.email, role: "member" });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ user: { id: person.id }, role: "member" });
    expect(
      (await api(adminToken, "POST", `/tenants/${t.slug}/members`, { user: person.id, role: "auditor" })).status,
    ).toBe(409);
    const unknown = await api(adminToken, "POST", `/tenants/${t.slug}/members`, {
      user: "nobody@example.com",
      role: "member",
    });
    expect(unknown.status).toBe(400);
    expect(Object.keys(unknown.body.details as object)).toEqual(["user"]);
    const badRole = await api(adminToken, "POST", `/tenants/${t.slug}/members`, { user: person.id, role: "admin" });
    expect(badRole.status).toBe(400);

    const list = await api(adminToken, "GET", `/tenants/${t.slug}/members?role=owner`);
    expect(list.body.data?.map((m) => m.user_id)).toEqual([owner.id]);

    const lastOwner = await api(adminToken, "PATCH", `/tenants/${t.slug}/members/${owner.id}`, { role: "member" });
    expect(lastOwner.status).toBe(409);
    expect(lastOwner.body.message).toMatch(/last owner/);
    const removeLast = await api(adminToken, "DELETE", `/tenants/${t.slug}/members/${owner.email}`, { reason: "test" });
    expect(removeLast.status).toBe(409);

    const promoted = await api(adminToken, "PATCH", `/tenants/${t.slug}/members/${person.id}`, { role: "owner" });
    expect(promoted.status).toBe(200);
    expect(promoted.body.role).toBe("owner");
    const removed = await api(adminToken, "DELETE", `/tenants/${t.slug}/members/${owner.id}`, { reason: "Moved on" });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ grants: 0, tokens: 0 });
    expect(
      (await api(adminToken, "DELETE", `/tenants/${t.slug}/members/${owner.id}`, { reason: "Again" })).status,
    ).toBe(404);
    const noReason = await api(adminToken, "DELETE", `/tenants/${t.slug}/members/${person.id}`, {});
    expect(noReason.status).toBe(400);
  });

  it("keeps a tenant owner's client inside its tenant", async () => {
    const person = await makeCaller({ tenants: { [tenantB.id]: "member" } });
    expect((await api(ownerToken, "GET", `/tenants/${tenantB.slug}/members`)).status).toBe(404);
    expect(
      (await api(ownerToken, "POST", `/tenants/${tenantB.slug}/members`, { user: person.id, role: "member" })).status,
    ).toBe(404);
    expect(
      (await api(ownerToken, "PATCH", `/tenants/${tenantB.slug}/members/${person.id}`, { role: "owner" })).status,
    ).toBe(404);
    // In its own tenant it manages members, but not someone holding a role across every tenant.
    const added = await api(ownerToken, "POST", `/tenants/${tenantA.slug}/members`, {
      user: person.id,
      role: "member",
    });
    expect(added.status).toBe(201);
    const globalAuditor = await makeCaller({ global: "auditor", tenants: { [tenantA.id]: "member" } });
    const refused = await api(ownerToken, "PATCH", `/tenants/${tenantA.slug}/members/${globalAuditor.id}`, {
      role: "owner",
    });
    expect(refused.status).toBe(403);
  });
});

describe("users and invitations", () => {
  it("invites with a tenant and a role, lists and resends the invitation, and revokes it", async () => {
    const to = email();
    const invited = await api(ownerToken, "POST", "/users", {
      email: to,
      name: "Invitee",
      tenant: tenantA.slug,
      role: "auditor",
    });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({
      invitation: { email: to, role: "auditor", status: "pending", tenant: { id: tenantA.id } },
      email_delivery: "not_configured",
    });
    expect(invited.body.invitation_url).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
    const id = (invited.body.invitation as { id: string }).id;

    const again = await api(ownerToken, "POST", "/users", { email: to, tenant: tenantA.slug, role: "member" });
    expect(again.status).toBe(409);
    const elsewhere = await api(ownerToken, "POST", "/users", { email: email(), tenant: tenantB.slug, role: "member" });
    expect(elsewhere.status).toBe(400);
    const global = await api(ownerToken, "POST", "/users", { email: email(), global_role: "security_admin" });
    expect(global.status).toBe(403);
    const neither = await api(adminToken, "POST", "/users", { email: email() });
    expect(neither.status).toBe(400);
    expect(Object.keys(neither.body.details as object)).toEqual(["tenant"]);

    const list = await api(ownerToken, "GET", "/invitations");
    expect(list.body.data?.map((i) => i.id)).toContain(id);
    expect(JSON.stringify(list.body)).not.toContain(invited.body.invitation_url as string);
    expect((await api(ownerToken, "GET", `/invitations/${id}`)).body).toMatchObject({ id, status: "pending" });

    const resent = await api(ownerToken, "POST", `/invitations/${id}/resend`);
    expect(resent.status).toBe(200);
    expect(resent.body.invitation_url).not.toBe(invited.body.invitation_url);

    const revoked = await api(ownerToken, "DELETE", `/invitations/${id}`, { reason: "Typo in the role" });
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe("revoked");
    expect((await api(ownerToken, "DELETE", `/invitations/${id}`, {})).status).toBe(409);
    const token = (resent.body.invitation_url as string).split("/invite/")[1];
    await expect(
      acceptInvitationWithPassword(token, { name: "Too late", password: PASSWORD, confirm: PASSWORD }),
    ).rejects.toMatchObject({ status: 409 });

    // An invitation the owner's client cannot manage is not found.
    const adminInvite = await api(adminToken, "POST", "/users", { email: email(), global_role: "auditor" });
    const adminInviteId = (adminInvite.body.invitation as { id: string }).id;
    expect((await api(ownerToken, "GET", `/invitations/${adminInviteId}`)).status).toBe(404);
    expect((await api(ownerToken, "DELETE", `/invitations/${adminInviteId}`, {})).status).toBe(404);
    expect((await api(ownerToken, "GET", "/invitations/not-an-id")).status).toBe(404);
  });

  it("a used invitation answers 409", async () => {
    const invited = await api(adminToken, "POST", "/users", { email: email(), tenant: tenantA.slug, role: "member" });
    const token = (invited.body.invitation_url as string).split("/invite/")[1];
    await acceptInvitationWithPassword(token, { name: "First", password: PASSWORD, confirm: PASSWORD });
    const id = (invited.body.invitation as { id: string }).id;
    expect((await api(adminToken, "GET", `/invitations/${id}`)).body.status).toBe("accepted");
    expect((await api(adminToken, "POST", `/invitations/${id}/resend`)).status).toBe(409);
    expect((await api(adminToken, "DELETE", `/invitations/${id}`, {})).status).toBe(409);
  });

  it("sets a password directly only for a security-admin client, and never returns it", async () => {
    const to = email();
    const created = await api(adminToken, "POST", "/users", {
      email: to,
      name: "Scripted",
      tenant: tenantA.slug,
      role: "member",
      password: PASSWORD,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: to, status: "active", memberships: [{ role: "member" }] });
    expect(JSON.stringify(created.body)).not.toContain(PASSWORD);
    expect(JSON.stringify(created.body)).not.toMatch(/argon2/);
    expect(
      (
        await api(adminToken, "POST", "/users", {
          email: to,
          name: "Twice",
          global_role: "auditor",
          password: PASSWORD,
        })
      ).status,
    ).toBe(409);
    const byOwner = await api(ownerToken, "POST", "/users", {
      email: email(),
      name: "Owner's",
      tenant: tenantA.slug,
      role: "member",
      password: PASSWORD,
    });
    expect(byOwner.status).toBe(403);
    const weak = await api(adminToken, "POST", "/users", {
      email: email(),
      name: "Weak",
      global_role: "auditor",
      password: "short",
    });
    expect(weak.status).toBe(400);
    expect(Object.keys(weak.body.details as object)).toEqual(["password"]);
  });

  it("lists people by cursor with a search, and keeps a tenant owner's client to its members", async () => {
    const t = await makeTenant();
    const marker = unique("zz-cursor");
    for (let i = 0; i < 12; i++) await makeCaller({ tenants: { [t.id]: "member" }, name: `${marker} ${i}` });
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const r = await api(adminToken, "GET", `/users?q=${marker}&page_size=10${cursor ? `&cursor=${cursor}` : ""}`);
      expect(r.status).toBe(200);
      expect(r.body.total).toBe(12);
      for (const p of r.body.data ?? []) seen.add(p.id as string);
      cursor = r.body.next_cursor as string | null;
    } while (cursor);
    expect(seen.size).toBe(12);
    expect((await api(adminToken, "GET", "/users?cursor=junk")).status).toBe(400);
    expect((await api(adminToken, "GET", "/users?page_size=7")).status).toBe(400);

    const mine = await api(ownerToken, "GET", "/users?page_size=100");
    expect(mine.status).toBe(200);
    expect(
      mine.body.data?.every((p) =>
        (p.memberships as { tenant: { id: string } }[]).some((m) => m.tenant.id === tenantA.id),
      ),
    ).toBe(true);
    expect((await api(ownerToken, "GET", `/users/${admin.id}`)).status).toBe(404);
    expect((await api(ownerToken, "GET", `/users/${ownerA.id}`)).status).toBe(200);
    expect((await api(adminToken, "GET", "/users/00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });
});

describe("offboarding", () => {
  it("deactivating a person revokes their grants: the agent's delegated token is denied on its next request", async () => {
    const scope = await createScope(admin, {
      name: unique("mail.read"),
      description: "Read mail",
      risk: "low",
      tenant: null,
    });
    const role = await createRole(admin, { name: unique("mail"), tenant: null, scopes: [scope.id] });
    await createPolicy(admin, {
      name: unique("Mail"),
      tenant: null,
      text: `permit (principal is Agent, action == Action::"${scope.name}", resource);`,
    });
    const leaver = await makeCaller({ tenants: { [tenantA.id]: "member" } });
    const agent = await makeAgent(admin, tenantA.id, { status: "active" });
    await assignRole(admin, agent.id, role.id);
    const { token } = await makeDelegation({
      agent,
      userId: leaver.id,
      scopes: [scope.name],
      publicUrl: server.issuer,
    });
    const decide = async () =>
      (await api(token, "POST", "/decisions", { action: scope.name, resource: { type: "Email", id: "m-1" } })).body;
    expect(await decide()).toMatchObject({ decision: "allow" });

    const impact = await api(adminToken, "GET", `/users/${leaver.id}/offboarding`);
    expect(impact.status).toBe(200);
    expect(impact.body).toMatchObject({ grants: 1, tokens: 1, summary: "Revokes 1 grant and 1 live token." });
    expect((await api(ownerToken, "GET", `/users/${leaver.id}/offboarding`)).status).toBe(403);
    expect((await api(ownerToken, "POST", `/users/${leaver.id}/deactivate`, { reason: "Left" })).status).toBe(403);

    const done = await api(adminToken, "POST", `/users/${leaver.id}/deactivate`, { reason: "Left the company" });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: "deactivated", revoked: { grants: 1, tokens: 1 } });
    expect(await decide()).toMatchObject({ decision: "deny" });
    expect((await api(adminToken, "POST", `/users/${leaver.id}/deactivate`, { reason: "Again" })).status).toBe(409);

    const back = await api(adminToken, "POST", `/users/${leaver.id}/reactivate`, { reason: "Rehired" });
    expect(back.status).toBe(200);
    expect(back.body.status).toBe("active");
    // Reactivation gives nothing back: the grant stays revoked.
    expect(await decide()).toMatchObject({ decision: "deny" });
    expect((await api(adminToken, "POST", `/users/${leaver.id}/reactivate`, { reason: "Again" })).status).toBe(409);
  });
});
