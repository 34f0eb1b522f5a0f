import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { invitationLink, startTestSmtp } from "@/e2e/fixtures/test-smtp.mjs";
import { reloadEnv } from "@/lib/env";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { assertCan } from "@/server/auth/authorize";
import type { UserCaller } from "@/server/auth/caller";
import { loadSessionCaller } from "@/server/auth/caller";
import { startSession } from "@/server/auth/sessions";
import { signInWithPassword, signInWithSso } from "@/server/auth/sign-in";
import { prisma } from "@/server/db";
import { hashToken } from "@/server/oauth/hash";
import { makeAgent, makeCaller, makeDelegation, makeTenant, unique } from "@/tests/factories";
import { addTenantMember, changeMemberRole, removeTenantMember } from "../tenants/members";
import {
  acceptInvitationAsUser,
  acceptInvitationWithPassword,
  InvitationUnusableError,
  previewInvitation,
} from "./accept-invitation";
import { deactivateUser, describeOffboarding, offboardingImpact, reactivateUser } from "./deactivate-user";
import { invitePerson, listInvitations, resendInvitation, revokeInvitation } from "./invitations";
import { getPerson, listPeople } from "./people";

let a: Awaited<ReturnType<typeof makeTenant>>;
let b: Awaited<ReturnType<typeof makeTenant>>;
let admin: UserCaller;
let ownerA: UserCaller;
let memberA: UserCaller;
let auditorA: UserCaller;

beforeAll(async () => {
  a = await makeTenant();
  b = await makeTenant();
  admin = await makeCaller({ global: "security_admin" });
  ownerA = await makeCaller({ tenants: { [a.id]: "tenant_owner" } });
  memberA = await makeCaller({ tenants: { [a.id]: "member" } });
  auditorA = await makeCaller({ tenants: { [a.id]: "auditor" } });
});

const email = () => `${unique("person")}@example.com`;
const tokenOf = (url: string) => url.split("/invite/")[1];
const PASSWORD = "a long enough passphrase";

describe("invitations", () => {
  it("invites into a tenant with a single-use link stored only as a hash, and accepting makes the membership", async () => {
    const to = email();
    const issued = await invitePerson(ownerA, { email: to.toUpperCase(), name: "Ada", tenant: a.slug, role: "member" });
    expect(issued.emailDelivery).toBe("not_configured");
    expect(issued.url).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
    const token = tokenOf(issued.url);
    const db = await prisma();
    const row = await db.invitation.findUniqueOrThrow({ where: { id: issued.invitation.id } });
    // Only the hash is kept; the link's token appears nowhere in the row.
    expect(row.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row.email).toBe(to);
    const days = (row.expiresAt.getTime() - row.createdAt.getTime()) / 86_400_000;
    expect(days).toBeCloseTo(7, 3);

    expect(await previewInvitation(token)).toMatchObject({
      status: "pending",
      email: to,
      what: `Member of ${a.name}`,
      accountExists: false,
    });
    const accepted = await acceptInvitationWithPassword(token, {
      name: "Ada Lovelace",
      password: PASSWORD,
      confirm: PASSWORD,
    });
    expect(accepted).toEqual({ email: to, destination: `/${a.slug}` });
    const user = await db.user.findUniqueOrThrow({ where: { email: to }, include: { memberships: true } });
    expect(user.name).toBe("Ada Lovelace");
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(user.memberships.map((m) => [m.tenantId, m.role])).toEqual([[a.id, "MEMBER"]]);
    // They sign in as anyone does.
    expect(await signInWithPassword({ email: to, password: PASSWORD })).toMatchObject({ id: user.id });
    const events = await db.auditEvent.findMany({
      where: { OR: [{ targetId: issued.invitation.id }, { targetId: user.id, action: "user.create" }] },
      orderBy: { seq: "asc" },
    });
    expect(events.map((e) => e.action)).toEqual(["invitation.create", "user.create", "invitation.accept"]);
  });

  it("refuses a used, an expired and a revoked link with a clear error, and changes nothing", async () => {
    const db = await prisma();
    const used = await invitePerson(admin, { email: email(), tenant: a.slug, role: "auditor" });
    await acceptInvitationWithPassword(tokenOf(used.url), { name: "Used", password: PASSWORD, confirm: PASSWORD });
    const again = await acceptInvitationWithPassword(tokenOf(used.url), {
      name: "Again",
      password: PASSWORD,
      confirm: PASSWORD,
    }).catch((e) => e);
    expect(again).toBeInstanceOf(InvitationUnusableError);
    expect(again.status).toBe(409);
    expect(again.message).toMatch(/already been used/);

    const expired = await invitePerson(admin, { email: email(), tenant: a.slug, role: "member" });
    await db.invitation.update({
      where: { id: expired.invitation.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await previewInvitation(tokenOf(expired.url))).status).toBe("expired");
    const late = await acceptInvitationWithPassword(tokenOf(expired.url), {
      name: "Late",
      password: PASSWORD,
      confirm: PASSWORD,
    }).catch((e) => e);
    expect(late).toBeInstanceOf(InvitationUnusableError);
    expect(late.message).toMatch(/expired/);

    const revoked = await invitePerson(ownerA, { email: email(), tenant: a.slug, role: "member" });
    await revokeInvitation(ownerA, revoked.invitation.id, { reason: "Wrong person" });
    const withdrawn = await acceptInvitationWithPassword(tokenOf(revoked.url), {
      name: "Withdrawn",
      password: PASSWORD,
      confirm: PASSWORD,
    }).catch((e) => e);
    expect(withdrawn).toBeInstanceOf(InvitationUnusableError);
    expect(withdrawn.message).toMatch(/withdrawn/);

    for (const issued of [expired, revoked]) {
      expect(await db.user.findUnique({ where: { email: issued.invitation.email } })).toBeNull();
    }
    // A token that was never issued, and junk, name no invitation at all.
    expect(await previewInvitation("A".repeat(43))).toEqual({ status: "invalid" });
    expect(await previewInvitation("../../etc/passwd")).toEqual({ status: "invalid" });
    await expect(
      acceptInvitationWithPassword("A".repeat(43), { name: "X", password: PASSWORD, confirm: PASSWORD }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("names every bad field of an acceptance at once, and accepts nothing", async () => {
    const issued = await invitePerson(admin, { email: email(), tenant: a.slug, role: "member" });
    const error = await acceptInvitationWithPassword(tokenOf(issued.url), {
      name: " ",
      password: "short",
      confirm: "other",
    }).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(Object.keys(error.details).sort()).toEqual(["confirm", "name", "password"]);
    expect((await previewInvitation(tokenOf(issued.url))).status).toBe("pending");
  });

  it("resending issues a new link and kills the old one", async () => {
    const issued = await invitePerson(ownerA, { email: email(), tenant: a.slug, role: "member" });
    const again = await resendInvitation(ownerA, issued.invitation.id);
    expect(again.url).not.toBe(issued.url);
    expect(again.invitation.sendCount).toBe(2);
    expect(await previewInvitation(tokenOf(issued.url))).toEqual({ status: "invalid" });
    expect((await previewInvitation(tokenOf(again.url))).status).toBe("pending");
  });

  it("keeps tenant owners to their own tenant and global roles to security admins", async () => {
    await expect(invitePerson(ownerA, { email: email(), tenant: b.slug, role: "member" })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(invitePerson(ownerA, { email: email(), global_role: "auditor" })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(invitePerson(memberA, { email: email(), tenant: a.slug, role: "member" })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(invitePerson(auditorA, { email: email(), tenant: a.slug, role: "member" })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    const global = await invitePerson(admin, { email: email(), global_role: "auditor" });
    expect(global.invitation).toMatchObject({ tenant: null, globalRole: "auditor" });
    // The owner's list holds their tenant's invitations only; the global one is the admin's.
    const seen = await listInvitations(ownerA, { status: "all", page_size: 100 });
    expect(seen.rows.every((r) => r.tenant?.id === a.id)).toBe(true);
    await expect(revokeInvitation(ownerA, global.invitation.id, {})).rejects.toBeInstanceOf(NotFoundError);
  });

  it("refuses to invite someone already there or already invited, naming the email", async () => {
    const to = email();
    await invitePerson(ownerA, { email: to, tenant: a.slug, role: "member" });
    const twice = await invitePerson(ownerA, { email: to, tenant: a.slug, role: "owner" }).catch((e) => e);
    expect(twice).toBeInstanceOf(ConflictError);
    expect(Object.keys(twice.details)).toEqual(["email"]);
    const member = await invitePerson(ownerA, { email: memberA.email, tenant: a.slug, role: "member" }).catch((e) => e);
    expect(member).toBeInstanceOf(ConflictError);
    expect(member.message).toMatch(/already a member/);
  });

  it("someone with an account accepts by signing in as the invited email, and no one else can", async () => {
    const invited = await invitePerson(admin, { email: memberA.email, tenant: b.slug, role: "auditor" });
    expect(await previewInvitation(tokenOf(invited.url))).toMatchObject({ accountExists: true });
    await expect(acceptInvitationAsUser(ownerA, tokenOf(invited.url))).rejects.toBeInstanceOf(ConflictError);
    await expect(
      acceptInvitationWithPassword(tokenOf(invited.url), { name: "Takeover", password: PASSWORD, confirm: PASSWORD }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(await acceptInvitationAsUser(memberA, tokenOf(invited.url))).toEqual({ destination: `/${b.slug}` });
    const membership = await (await prisma()).membership.findUniqueOrThrow({
      where: { tenantId_userId: { tenantId: b.id, userId: memberA.id } },
    });
    expect(membership.role).toBe("AUDITOR");
  });

  it("two acceptances of one invitation at the same moment make one person and one membership", async () => {
    const to = email();
    const issued = await invitePerson(admin, { email: to, tenant: a.slug, role: "member" });
    const token = tokenOf(issued.url);
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, (_, i) =>
        acceptInvitationWithPassword(token, { name: `Racer ${i}`, password: PASSWORD, confirm: PASSWORD }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason.status).toBe(409);
    const db = await prisma();
    const users = await db.user.findMany({ where: { email: to }, include: { memberships: true } });
    expect(users).toHaveLength(1);
    expect(users[0].memberships).toHaveLength(1);
  });

  it("single sign-on from the invitation link creates the invited person for their verified email only", async () => {
    const to = email();
    const issued = await invitePerson(ownerA, { email: to, tenant: a.slug, role: "member" });
    const token = tokenOf(issued.url);
    const db = await prisma();
    // Without the link, or for another email, or unverified: no account.
    expect(await signInWithSso({ email: to, emailVerified: true, subject: "idp|1" })).toBeNull();
    expect(await signInWithSso({ email: email(), emailVerified: true, subject: "idp|2" }, {}, token)).toBeNull();
    expect(await signInWithSso({ email: to, emailVerified: false, subject: "idp|3" }, {}, token)).toBeNull();
    expect(await db.user.findUnique({ where: { email: to } })).toBeNull();
    const signedIn = await signInWithSso(
      { email: to, emailVerified: true, subject: "idp|4", name: "Grace" },
      {},
      token,
    );
    expect(signedIn).toMatchObject({ email: to, name: "Grace" });
    const user = await db.user.findUniqueOrThrow({ where: { email: to }, include: { memberships: true } });
    expect(user.passwordHash).toBeNull();
    expect(user.memberships.map((m) => m.tenantId)).toEqual([a.id]);
    expect((await previewInvitation(token)).status).toBe("accepted");
  });
});

describe("email", () => {
  let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
  beforeAll(async () => {
    smtp = await startTestSmtp();
    vi.stubEnv("SMTP_URL", `smtp://127.0.0.1:${smtp.port}`);
    vi.stubEnv("MAIL_FROM", "Mandate <mandate@example.com>");
    reloadEnv();
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    reloadEnv();
    await smtp?.close();
  });

  it("sends the invitation through the SMTP server, and the link that arrives is the one that works", async () => {
    const to = email();
    const issued = await invitePerson(ownerA, { email: to, tenant: a.slug, role: "owner" });
    expect(issued.emailDelivery).toBe("sent");
    const mail = smtp.messages.find((m) => m.to.includes(to));
    expect(mail?.from).toBe("mandate@example.com");
    expect(mail?.subject).toContain(`Tenant owner of ${a.name}`);
    const link = mail ? invitationLink(mail) : null;
    expect(link).toBe(issued.url);
    await acceptInvitationWithPassword(tokenOf(link as string), {
      name: "Owner",
      password: PASSWORD,
      confirm: PASSWORD,
    });
    const user = await (await prisma()).user.findUniqueOrThrow({
      where: { email: to },
      include: { memberships: true },
    });
    expect(user.memberships[0].role).toBe("OWNER");
    const sent = await (await prisma()).auditEvent.findFirstOrThrow({
      where: { action: "invitation.email", targetId: issued.invitation.id },
    });
    expect(sent.outcome).toBe("success");
  });

  it("records a failed delivery and still hands the link to the inviter", async () => {
    vi.stubEnv("SMTP_URL", "smtp://127.0.0.1:1");
    reloadEnv();
    try {
      const issued = await invitePerson(ownerA, { email: email(), tenant: a.slug, role: "member" });
      expect(issued.emailDelivery).toBe("failed");
      expect((await previewInvitation(tokenOf(issued.url))).status).toBe("pending");
      const failed = await (await prisma()).auditEvent.findFirstOrThrow({
        where: { action: "invitation.email", targetId: issued.invitation.id },
      });
      expect(failed.outcome).toBe("failure");
    } finally {
      vi.stubEnv("SMTP_URL", `smtp://127.0.0.1:${smtp.port}`);
      reloadEnv();
    }
  });
});

describe("members", () => {
  it("adds, changes and removes members, and a tenant always keeps one active owner", async () => {
    const t = await makeTenant();
    const first = await makeCaller({ tenants: { [t.id]: "tenant_owner" } });
    const second = await makeCaller();
    await addTenantMember(first, t.id, { user: second.email, role: "member" });
    await expect(addTenantMember(first, t.id, { user: second.email, role: "member" })).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(addTenantMember(first, t.id, { user: "nobody@example.com", role: "member" })).rejects.toBeInstanceOf(
      ValidationError,
    );
    const last = await changeMemberRole(first, t.id, first.id, { role: "member" }).catch((e) => e);
    expect(last).toBeInstanceOf(ConflictError);
    expect(last.message).toMatch(/last owner/);
    await expect(removeTenantMember(first, t.id, first.id, { reason: "leaving" })).rejects.toBeInstanceOf(
      ConflictError,
    );
    await changeMemberRole(first, t.id, second.id, { role: "owner" });
    // Now there are two owners: the first may step down.
    await changeMemberRole(first, t.id, first.id, { role: "member" });
    const db = await prisma();
    const roles = await db.membership.findMany({ where: { tenantId: t.id }, select: { userId: true, role: true } });
    expect(Object.fromEntries(roles.map((r) => [r.userId, r.role]))).toEqual({
      [first.id]: "MEMBER",
      [second.id]: "OWNER",
    });
    const events = await db.auditEvent.findMany({
      where: { tenantId: t.id, action: "tenant.member.role_change" },
      orderBy: { seq: "asc" },
    });
    expect(events.map((e) => e.data)).toEqual([
      { before: { role: "member" }, after: { role: "owner" } },
      { before: { role: "owner" }, after: { role: "member" } },
    ]);
  });

  it.runIf(process.env.MANDATE_TEST_DB === "postgres")(
    "two owners demoting each other at the same moment: one succeeds, the tenant keeps an owner",
    async () => {
      const t = await makeTenant();
      const one = await makeCaller({ tenants: { [t.id]: "tenant_owner" } });
      const two = await makeCaller({ tenants: { [t.id]: "tenant_owner" } });
      const results = await Promise.allSettled([
        changeMemberRole(one, t.id, two.id, { role: "member" }),
        changeMemberRole(two, t.id, one.id, { role: "member" }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const owners = await (await prisma()).membership.count({ where: { tenantId: t.id, role: "OWNER" } });
      expect(owners).toBe(1);
    },
  );

  it("confines tenant owners to their tenant and leaves global roles to security admins", async () => {
    await expect(addTenantMember(ownerA, b.id, { user: memberA.email, role: "member" })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(changeMemberRole(memberA, a.id, auditorA.id, { role: "owner" })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    const globalAuditor = await makeCaller({ global: "auditor", tenants: { [a.id]: "member" } });
    await expect(changeMemberRole(ownerA, a.id, globalAuditor.id, { role: "owner" })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await changeMemberRole(admin, a.id, globalAuditor.id, { role: "auditor" });
  });

  it("removing a member revokes their grants there and hands their agents over, or refuses to orphan them", async () => {
    const t = await makeTenant();
    const owner = await makeCaller({ tenants: { [t.id]: "tenant_owner" } });
    const leaving = await makeCaller({ tenants: { [t.id]: "member" } });
    const agent = await makeAgent(owner, t.id, { status: "active", owner: leaving.id });
    const { grantId } = await makeDelegation({ agent, userId: leaving.id, scopes: [], publicUrl: "http://x" });
    const sid = await startSession(await prisma(), leaving.id, "sso", {});
    expect((await loadSessionCaller(await prisma(), leaving.id, sid, 480))?.roles.tenants[t.id]).toBe("member");
    const refused = await removeTenantMember(owner, t.id, leaving.id, { reason: "moved teams" }).catch((e) => e);
    expect(refused).toBeInstanceOf(ConflictError);
    expect(Object.keys(refused.details)).toEqual(["transfer_agents_to"]);
    const result = await removeTenantMember(owner, t.id, leaving.email, {
      reason: "moved teams",
      transfer_agents_to: owner.email,
    });
    expect(result).toMatchObject({ grants: 1, tokens: 1, agents: 1 });
    const db = await prisma();
    // Their console session (a copied cookie too) no longer reaches the tenant: roles are read on
    // every request.
    const after = await loadSessionCaller(db, leaving.id, sid, 480);
    expect(after?.roles.tenants[t.id]).toBeUndefined();
    expect(() => assertCan(after as UserCaller, "tenant.read", t.id)).toThrow(NotFoundError);
    expect((await db.agent.findUniqueOrThrow({ where: { id: agent.id } })).ownerId).toBe(owner.id);
    expect((await db.grant.findUniqueOrThrow({ where: { id: grantId } })).revokedAt).not.toBeNull();
    expect(await db.membership.count({ where: { tenantId: t.id, userId: leaving.id } })).toBe(0);
  });
});

describe("deactivation (offboarding)", () => {
  it("states its impact first, then revokes grants and tokens, ends sessions and orphans agents in one step", async () => {
    const t = await makeTenant();
    const owner = await makeCaller({ tenants: { [t.id]: "tenant_owner" } });
    const leaver = await makeCaller({ tenants: { [t.id]: "member" } });
    const agents = [
      await makeAgent(owner, t.id, { status: "active", owner: leaver.id }),
      await makeAgent(owner, t.id, { status: "active", owner: leaver.id }),
    ];
    const other = await makeAgent(owner, t.id, { status: "active" });
    for (const agent of [...agents, other]) {
      await makeDelegation({ agent, userId: leaver.id, scopes: [], publicUrl: "http://x" });
    }
    const db = await prisma();
    // Signed in (through SSO: makeCaller's people have no password).
    const sid = await startSession(db, leaver.id, "sso", {});
    expect(await loadSessionCaller(db, leaver.id, sid, 480)).not.toBeNull();

    const impact = await offboardingImpact(admin, leaver.id);
    expect(impact).toMatchObject({ grants: 3, tokens: 3, sessions: 1 });
    expect(impact.agents.map((x) => x.id).sort()).toEqual(agents.map((x) => x.id).sort());
    expect(describeOffboarding(impact)).toBe(
      "Revokes 3 grants and 3 live tokens, ends 1 console session; 2 agents lose their owner.",
    );
    await expect(offboardingImpact(owner, leaver.id)).rejects.toBeInstanceOf(ForbiddenError);

    const result = await deactivateUser(admin, leaver.id, { reason: "Left the company" });
    expect(result).toMatchObject({ grants: 3, tokens: 3, sessions: 1, agents: 2 });
    expect(await loadSessionCaller(db, leaver.id, sid, 480)).toBeNull();
    expect(await db.grant.count({ where: { userId: leaver.id, revokedAt: null } })).toBe(0);
    expect(await db.token.count({ where: { subjectId: leaver.id, revokedAt: null } })).toBe(0);
    const person = await getPerson(admin, leaver.id);
    expect(person.status).toBe("deactivated");
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "user.deactivate", targetId: leaver.id } });
    expect(event.data).toMatchObject({
      before: { status: "active" },
      after: { status: "deactivated" },
      grants: 3,
      tokens: 3,
      sessions: 1,
    });

    await reactivateUser(admin, leaver.id, { reason: "Came back" });
    expect((await getPerson(admin, leaver.id)).status).toBe("active");
    // What deactivation revoked stays revoked, and the old session stays over.
    expect(await db.grant.count({ where: { userId: leaver.id, revokedAt: null } })).toBe(0);
    expect(await loadSessionCaller(db, leaver.id, sid, 480)).toBeNull();
  });

  it("hands the leaver's agents to a new owner in the same step, who must belong to their tenant", async () => {
    const t = await makeTenant();
    const owner = await makeCaller({ tenants: { [t.id]: "tenant_owner" } });
    const leaver = await makeCaller({ tenants: { [t.id]: "member" } });
    const outsider = await makeCaller({ tenants: { [b.id]: "member" } });
    const agent = await makeAgent(owner, t.id, { status: "active", owner: leaver.id });
    const refused = await deactivateUser(admin, leaver.id, {
      reason: "Left",
      transfer_agents_to: outsider.email,
    }).catch((e) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect(Object.keys(refused.details)).toEqual(["transfer_agents_to"]);
    const db = await prisma();
    expect((await db.user.findUniqueOrThrow({ where: { id: leaver.id } })).deactivatedAt).toBeNull();
    await deactivateUser(admin, leaver.id, { reason: "Left", transfer_agents_to: owner.id });
    expect((await db.agent.findUniqueOrThrow({ where: { id: agent.id } })).ownerId).toBe(owner.id);
    const moved = await db.auditEvent.findFirstOrThrow({ where: { action: "agent.update", targetId: agent.id } });
    expect(moved.data).toMatchObject({ before: { owner: leaver.id }, after: { owner: owner.id } });
  });
});

describe("people lists", () => {
  it("show security admins everyone and tenant owners their tenant's members, by name, page after page", async () => {
    const t = await makeTenant();
    const owner = await makeCaller({ tenants: { [t.id]: "tenant_owner" }, name: "Aaron Owner" });
    const names: string[] = [];
    for (let i = 0; i < 12; i++) {
      const p = await makeCaller({ tenants: { [t.id]: "member" }, name: `Member ${String(i).padStart(2, "0")}` });
      names.push(p.name);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 5; i++) {
      const page = await listPeople(owner, { tenant: t.id, page_size: 10, cursor });
      expect(page.total).toBe(13);
      seen.push(...page.rows.map((r) => r.name));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(["Aaron Owner", ...names]);
    // The owner sees nobody outside their tenant, whatever they ask.
    const everyone = await listPeople(owner, { page_size: 100 });
    expect(everyone.rows.every((r) => r.memberships.some((m) => m.tenant.id === t.id))).toBe(true);
    await expect(listPeople(owner, { tenant: b.id })).rejects.toBeInstanceOf(ValidationError);
    await expect(getPerson(owner, admin.id)).rejects.toBeInstanceOf(NotFoundError);
    // A security admin finds anyone by part of their name or email.
    const found = await listPeople(admin, { q: "member 0" });
    expect(found.rows.map((r) => r.name)).toEqual(expect.arrayContaining(names.slice(0, 10)));
    expect((await listPeople(admin, { q: owner.email.toUpperCase() })).rows.map((r) => r.id)).toEqual([owner.id]);
    await expect(listPeople(admin, { cursor: "junk" })).rejects.toBeInstanceOf(ValidationError);
  });
});
