import { beforeAll, describe, expect, it } from "vitest";
import { NotFoundError, ValidationError } from "@/lib/errors";
import type { ConsoleSearchResult, SearchKind } from "@/lib/schemas/search";
import type { UserCaller } from "@/server/auth/caller";
import { prisma } from "@/server/db";
import { createPolicy } from "@/server/policies/policies";
import { makeAgent, makeCaller, makeDelegation, makeTenant, unique } from "@/tests/factories";
import { searchConsole } from "./search-console";

// The palette finds only what the caller could reach by clicking, in the tenant it is open in.
// Every name below carries WORD, so that one search could match both tenants' objects.

const WORD = unique("zephyr").replace("-", "");
let a: Awaited<ReturnType<typeof makeTenant>>;
let b: Awaited<ReturnType<typeof makeTenant>>;
let admin: UserCaller;
let globalAuditor: UserCaller;
let ownerA: UserCaller;
let auditorA: UserCaller;
let memberA: UserCaller;
let ownerB: UserCaller;
let agentA: { id: string; name: string };
let agentB: { id: string; name: string };
let policyA: { id: string };
let policyB: { id: string };
let globalPolicy: { id: string };
let memberGrant: string;
let ownerGrant: string;
let grantB: string;

const PUBLIC_URL = "http://localhost:3000";
const policyText = `permit (principal is Agent, action, resource) when { context.hour == 3 };`;

beforeAll(async () => {
  a = await makeTenant(unique("Alpha"));
  b = await makeTenant(unique("Beta"));
  admin = await makeCaller({ global: "security_admin" });
  globalAuditor = await makeCaller({ global: "auditor" });
  ownerA = await makeCaller({ tenants: { [a.id]: "tenant_owner" }, name: `Olive ${WORD} Owner` });
  auditorA = await makeCaller({ tenants: { [a.id]: "auditor" } });
  memberA = await makeCaller({ tenants: { [a.id]: "member" }, name: `Mia ${WORD} Member` });
  ownerB = await makeCaller({ tenants: { [b.id]: "tenant_owner" }, name: `Bea ${WORD} Other` });
  agentA = await makeAgent(ownerA, a.id, { name: `${WORD} mailer`, status: "active" });
  agentB = await makeAgent(ownerB, b.id, { name: `${WORD} payer`, status: "active" });
  policyA = await createPolicy(admin, { name: `${WORD} alpha rule`, tenant: a.id, text: policyText });
  policyB = await createPolicy(admin, { name: `${WORD} beta rule`, tenant: b.id, text: policyText });
  globalPolicy = await createPolicy(admin, { name: `${WORD} global rule`, tenant: null, text: policyText });
  const delegate = (agent: { id: string }, tenantId: string, userId: string) =>
    makeDelegation({ agent: { id: agent.id, tenantId }, userId, scopes: ["files.read"], publicUrl: PUBLIC_URL });
  memberGrant = (await delegate(agentA, a.id, memberA.id)).grantId;
  ownerGrant = (await delegate(agentA, a.id, ownerA.id)).grantId;
  grantB = (await delegate(agentB, b.id, ownerB.id)).grantId;
});

const kinds = (r: ConsoleSearchResult) => r.groups.map((g) => g.kind);
const ids = (r: ConsoleSearchResult, kind: SearchKind) => r.groups.find((g) => g.kind === kind)?.hits.map((h) => h.id);

describe("searchConsole", () => {
  it("finds a tenant's agents, people and policies and never another tenant's", async () => {
    for (const caller of [ownerA, auditorA, admin, globalAuditor]) {
      const found = await searchConsole(caller, a.id, WORD);
      expect(ids(found, "agent"), caller.email).toEqual([agentA.id]);
      expect(ids(found, "policy")?.sort(), caller.email).toEqual([policyA.id, globalPolicy.id].sort());
      // Nothing of Beta: no id and no name, anywhere in the answer.
      const text = JSON.stringify(found);
      for (const leak of [agentB.id, agentB.name, policyB.id, grantB, b.id, b.name]) {
        expect(text, `${caller.email}: ${leak}`).not.toContain(leak);
      }
    }
    // A tenant's owner and auditor find its members only; the People page's everyone is for global readers.
    for (const caller of [ownerA, auditorA]) {
      expect(ids(await searchConsole(caller, a.id, WORD), "person")?.sort()).toEqual([ownerA.id, memberA.id].sort());
    }
    expect(ids(await searchConsole(admin, a.id, WORD), "person")).toContain(ownerB.id);
    // Agents and policies link to their pages under this tenant's address.
    const found = await searchConsole(ownerA, a.id, "MAILER");
    expect(found.groups.find((g) => g.kind === "agent")?.hits[0]).toMatchObject({
      title: agentA.name,
      href: `/${a.slug}/agents/${agentA.id}`,
    });
    expect(ids(found, "agent")).toEqual([agentA.id]);
  });

  it("gives a member their own grants and tenants, and no agents, people, policies or audit", async () => {
    const found = await searchConsole(memberA, a.id, WORD);
    expect(kinds(found)).toEqual(["grant", "tenant"]);
    expect(ids(found, "grant")).toEqual([memberGrant]);
    expect(found.groups[0].hits[0]).toMatchObject({
      title: agentA.name,
      href: `/${a.slug}/grants?user=${memberA.id}&agent=${agentA.id}&status=active`,
    });
    // Another person's grant is not theirs to find, even by its id.
    const byId = await searchConsole(memberA, a.id, ownerGrant);
    expect(byId.exact).toBeNull();
    expect(JSON.stringify(byId.groups)).not.toContain(ownerGrant);
    expect((await searchConsole(memberA, a.id, memberGrant)).exact).toMatchObject({ kind: "grant", id: memberGrant });
    // The owner sees every grant of the tenant.
    expect(ids(await searchConsole(ownerA, a.id, WORD), "grant")?.sort()).toEqual([memberGrant, ownerGrant].sort());
  });

  it("lets an auditor find everything of the tenant, and records nothing", async () => {
    const db = await prisma();
    const before = await db.auditEvent.count();
    const found = await searchConsole(auditorA, a.id, WORD);
    expect(kinds(found)).toEqual(["agent", "person", "grant", "policy", "tenant", "audit_event"]);
    // The agent's registration is in the log under its owner's email.
    const events = await searchConsole(auditorA, a.id, ownerA.email);
    const audit = events.groups.find((g) => g.kind === "audit_event")?.hits ?? [];
    // Each hit names what it is about, and who did it.
    const registered = audit.find((h) => h.title === `Agent registered · ${agentA.name}`);
    expect(registered?.detail).toMatch(new RegExp(`^by ${ownerA.name} · success · `));
    // Each event opens at its own address.
    expect(audit.every((h) => h.href === `/${a.slug}/audit/${h.id}`)).toBe(true);
    // Searching by the agent's id finds the events about it.
    const aboutAgent = await searchConsole(auditorA, a.id, agentA.id);
    const agentEvents = aboutAgent.groups.find((g) => g.kind === "audit_event")?.hits ?? [];
    expect(agentEvents.length).toBeGreaterThan(0);
    const first = await db.auditEvent.findUniqueOrThrow({ where: { id: BigInt(agentEvents[0].id) } });
    expect([first.targetId, first.actorId]).toContain(agentA.id);
    expect(await db.auditEvent.count()).toBe(before);
  });

  it("jumps to the object an exact id names, when the caller may see it there", async () => {
    await expect(searchConsole(ownerA, a.id, agentA.id)).resolves.toMatchObject({
      exact: { kind: "agent", id: agentA.id, href: `/${a.slug}/agents/${agentA.id}` },
    });
    await expect(searchConsole(ownerA, a.id, ` ${memberA.id} `)).resolves.toMatchObject({
      exact: { kind: "person", id: memberA.id, href: `/${a.slug}/people/${memberA.id}` },
    });
    await expect(searchConsole(ownerA, a.id, globalPolicy.id)).resolves.toMatchObject({
      exact: { kind: "policy", href: `/${a.slug}/policies/${globalPolicy.id}` },
    });
    await expect(searchConsole(ownerA, a.id, ownerGrant)).resolves.toMatchObject({
      exact: { kind: "grant", id: ownerGrant },
    });
    await expect(searchConsole(admin, a.id, b.id)).resolves.toMatchObject({
      exact: { kind: "tenant", href: `/${b.slug}` },
    });
    // The exact hit is shown once, not again in its group.
    expect(ids(await searchConsole(ownerA, a.id, agentA.id), "agent")).toEqual([]);
    // Another tenant's objects are not this tenant's, even for those who may read them elsewhere.
    for (const [caller, id] of [
      [ownerA, agentB.id],
      [admin, agentB.id],
      [ownerA, policyB.id],
      [admin, policyB.id],
      [ownerA, grantB],
      [admin, grantB],
      [ownerA, ownerB.id],
      [ownerA, b.id],
      [memberA, agentA.id],
    ] as const) {
      const found = await searchConsole(caller, a.id, id);
      expect(found.exact, `${caller.email} ${id}`).toBeNull();
      expect(found.groups.every((g) => g.kind === "audit_event" || g.hits.length === 0)).toBe(true);
    }
  });

  it("refuses junk and NUL bytes naming the field, and a tenant the caller cannot read", async () => {
    for (const junk of ["a\u0000b", "bell\u0007", "x".repeat(101), 42, { q: "x" }, ["x"], null]) {
      const error = await searchConsole(ownerA, a.id, junk).catch((e: unknown) => e);
      expect(error, JSON.stringify(junk)).toBeInstanceOf(ValidationError);
      expect(Object.keys((error as ValidationError).details ?? {})).toEqual(["q"]);
    }
    await expect(searchConsole(ownerA, b.id, WORD)).rejects.toBeInstanceOf(NotFoundError);
    await expect(searchConsole(ownerA, "not-a-uuid", WORD)).rejects.toBeInstanceOf(NotFoundError);
    // Empty text finds nothing, and says which kinds could be found; LIKE's wildcards match themselves.
    const empty = await searchConsole(memberA, a.id, "   ");
    expect(empty).toEqual({
      query: "",
      exact: null,
      groups: [
        { kind: "grant", hits: [] },
        { kind: "tenant", hits: [] },
      ],
    });
    const wild = await searchConsole(admin, a.id, "%");
    expect(wild.groups.every((g) => g.hits.length === 0)).toBe(true);
  });
});
