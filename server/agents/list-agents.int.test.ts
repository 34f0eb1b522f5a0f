import { beforeAll, describe, expect, it } from "vitest";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { makeAgent, makeCaller, makeTenant, unique } from "@/tests/factories";
import type { Caller } from "../auth/caller";
import { assignRole, createRole, removeRole } from "../catalog/roles";
import { createScope } from "../catalog/scopes";
import { prisma } from "../db";
import { deactivateUser } from "../users/deactivate-user";
import { getAgentDetail } from "./get-agent";
import { listAgents } from "./list-agents";
import { transitionAgent } from "./transition-agent";

// The agents list (every filter, sort and page) and the agent page's data.
const DAY = 86_400_000;

let a: Awaited<ReturnType<typeof makeTenant>>;
let admin: Caller;
let owner: Caller;
let member: Caller;
let colleague: Caller;

beforeAll(async () => {
  a = await makeTenant();
  admin = await makeCaller({ global: "security_admin" });
  owner = await makeCaller({ tenants: { [a.id]: "tenant_owner" } });
  member = await makeCaller({ tenants: { [a.id]: "member" } });
  colleague = await makeCaller({ tenants: { [a.id]: "auditor" } });
});

describe("listAgents", () => {
  // A tenant of its own, so that every expected list is exact.
  let t: Awaited<ReturnType<typeof makeTenant>>;
  let tOwner: Caller;
  let o1: Caller;
  let o2: Caller;
  let leaver: Caller;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await makeTenant();
    tOwner = await makeCaller({ tenants: { [t.id]: "tenant_owner" } });
    o1 = await makeCaller({ tenants: { [t.id]: "member" } });
    o2 = await makeCaller({ tenants: { [t.id]: "member" } });
    leaver = await makeCaller({ tenants: { [t.id]: "member" } });
    const specs: [
      string,
      "pending" | "active" | "suspended" | "retired",
      "development" | "staging" | "production",
      Caller,
      Caller?,
    ][] = [
      ["alpha-mailer", "active", "production", o1],
      ["bravo-bot", "pending", "development", o2, o1],
      ["charlie-sync", "suspended", "staging", o1],
      ["delta-archiver", "retired", "production", o2],
      ["echo-reporter", "active", "development", leaver],
      ["foxtrot-legacy", "retired", "development", leaver],
      ["golf-due-soon", "active", "staging", o2],
      ["hotel-overdue", "active", "production", o2],
      ["india-fine", "active", "development", o2],
      ["juliet_under", "pending", "staging", o2],
    ];
    for (const [name, status, environment, by, backup] of specs) {
      const agent = await makeAgent(tOwner, t.id, {
        name,
        status,
        environment,
        owner: by.id,
        backup_owner: backup?.id,
      });
      ids[name] = agent.id;
    }
    const db = await prisma();
    const due = async (name: string, days: number) =>
      db.agent.update({ where: { id: ids[name] }, data: { reviewDueAt: new Date(Date.now() + days * DAY) } });
    await due("golf-due-soon", 5);
    await due("hotel-overdue", -3);
    await due("india-fine", 60);
    await due("delta-archiver", -10); // retired: never due
    await deactivateUser(admin, leaver.id, { reason: "Left the company" });
  });

  const names = async (input: unknown) => (await listAgents(tOwner, t.id, input)).rows.map((r) => r.name).sort();

  it("filters by status and by environment", async () => {
    expect(await names({ status: "active" })).toEqual([
      "alpha-mailer",
      "echo-reporter",
      "golf-due-soon",
      "hotel-overdue",
      "india-fine",
    ]);
    expect(await names({ status: "retired" })).toEqual(["delta-archiver", "foxtrot-legacy"]);
    expect(await names({ environment: "production" })).toEqual(["alpha-mailer", "delta-archiver", "hotel-overdue"]);
    expect(await names({ status: "pending", environment: "staging" })).toEqual(["juliet_under"]);
  });

  it("filters by owner, counting backup ownership", async () => {
    expect(await names({ owner: o1.id })).toEqual(["alpha-mailer", "bravo-bot", "charlie-sync"]);
    expect(await names({ owner: tOwner.id })).toEqual([]);
  });

  it("lists agents whose review is due within the window or overdue, never retired ones", async () => {
    const page = await listAgents(tOwner, t.id, { review: "due" });
    expect(page.rows.map((r) => r.name).sort()).toEqual(["golf-due-soon", "hotel-overdue"]);
    expect(Object.fromEntries(page.rows.map((r) => [r.name, r.review]))).toEqual({
      "golf-due-soon": "due",
      "hotel-overdue": "overdue",
    });
  });

  it("lists orphaned agents: those whose owner was deactivated, unless retired", async () => {
    const page = await listAgents(tOwner, t.id, { orphaned: "true" });
    expect(page.rows.map((r) => r.name)).toEqual(["echo-reporter"]);
    expect(page.rows[0]).toMatchObject({ orphaned: true, owner: { id: leaver.id, active: false } });
    const all = await listAgents(tOwner, t.id, { page_size: "100" });
    expect(all.rows.filter((r) => r.orphaned).map((r) => r.name)).toEqual(["echo-reporter"]);
    const audit = await (await prisma()).auditEvent.findFirstOrThrow({
      where: { action: "user.deactivate", targetId: leaver.id },
    });
    expect(audit.data).toMatchObject({ orphaned_agents: [ids["echo-reporter"]] });
  });

  it("searches names case-insensitively, taking % and _ literally", async () => {
    expect(await names({ q: "BRAVO" })).toEqual(["bravo-bot"]);
    expect(await names({ q: "  Rep  " })).toEqual(["echo-reporter"]);
    expect(await names({ q: "O-" })).toEqual(["bravo-bot", "echo-reporter"]);
    expect(await names({ q: "_" })).toEqual(["juliet_under"]);
    expect(await names({ q: "%" })).toEqual([]);
    expect(await names({ q: "\\" })).toEqual([]);
    expect(await names({ q: "a%e" })).toEqual([]);
    expect(await names({ q: "zzz" })).toEqual([]);
  });

  it("sorts by name both ways", async () => {
    const asc = (await listAgents(tOwner, t.id, { sort: "name", dir: "asc" })).rows.map((r) => r.name);
    const desc = (await listAgents(tOwner, t.id, { sort: "name", dir: "desc" })).rows.map((r) => r.name);
    expect(asc).toEqual(Object.keys(ids).sort());
    expect(desc).toEqual([...asc].reverse());
  });

  it("pages without overlap or gaps, in every sort order", async () => {
    // Eleven agents over pages of ten: the second page holds exactly the one left.
    const extra = await makeAgent(tOwner, t.id, { name: "kilo-extra", owner: o1.id });
    try {
      for (const sort of ["name", "created_at", "status", "environment", "review_due_at"]) {
        for (const dir of ["asc", "desc"]) {
          const p1 = await listAgents(tOwner, t.id, { sort, dir, page: "1", page_size: "10" });
          const p2 = await listAgents(tOwner, t.id, { sort, dir, page: "2", page_size: "10" });
          expect([p1.total, p1.rows.length, p2.rows.length]).toEqual([11, 10, 1]);
          const seen = [...p1.rows, ...p2.rows].map((r) => r.id);
          expect(new Set(seen).size, `${sort} ${dir}`).toBe(11);
        }
      }
    } finally {
      await (await prisma()).agent.delete({ where: { id: extra.id } });
    }
  });

  it("falls back to defaults for junk query parameters instead of throwing", async () => {
    const junk = {
      page: "-3",
      page_size: "7",
      sort: "password; DROP TABLE agents",
      dir: "sideways",
      status: "deleted",
      environment: ["production", "staging"],
      owner: "not-a-uuid",
      review: "whenever",
      orphaned: "maybe",
      q: "x".repeat(101),
      unknown: "ignored",
    };
    const result = await listAgents(tOwner, t.id, junk);
    expect(result.query).toEqual({
      page: 1,
      page_size: 25,
      sort: "created_at",
      dir: "desc",
      status: undefined,
      environment: undefined,
      owner: undefined,
      review: undefined,
      orphaned: false,
      q: undefined,
    });
    expect(result.total).toBe(10);
    for (const input of [undefined, null, {}, { page: "1e9" }, { page: "2.5" }, { page_size: "100000" }]) {
      const page = await listAgents(tOwner, t.id, input);
      expect(page.total).toBe(10);
      expect(page.page).toBe(1);
      expect(page.pageSize).toBe(25);
    }
    const beyond = await listAgents(tOwner, t.id, { page: "99" });
    expect([beyond.total, beyond.rows.length]).toEqual([10, 0]);
  });

  it("orders created_at newest first by default", async () => {
    const rows = (await listAgents(tOwner, t.id, {})).rows;
    const times = rows.map((r) => r.createdAt.getTime());
    expect(times).toEqual([...times].sort((x, y) => y - x));
  });
});

describe("getAgentDetail", () => {
  const scopeName = (word: string) => `${unique(word)}.read`;

  it("shows effective scopes as the union of the agent's roles' scopes, saying which roles give each", async () => {
    const contacts = await createScope(admin, {
      name: scopeName("contacts"),
      description: "Read contacts",
      risk: "low",
      tenant: null,
    });
    const mail = await createScope(owner, {
      name: scopeName("mail"),
      description: "Send mail",
      risk: "medium",
      tenant: a.slug,
    });
    const files = await createScope(owner, {
      name: scopeName("files"),
      description: "Write files",
      risk: "high",
      tenant: a.id,
    });
    const unused = await createScope(owner, {
      name: scopeName("unused"),
      description: "Not held",
      risk: "high",
      tenant: a.id,
    });
    const globalRole = await createRole(admin, { name: unique("Global reader"), tenant: null, scopes: [contacts.id] });
    const sender = await createRole(owner, { name: unique("Sender"), tenant: a.slug, scopes: [contacts.id, mail.id] });
    const writer = await createRole(owner, { name: unique("Writer"), tenant: a.slug, scopes: [mail.id, files.id] });
    await createRole(owner, { name: unique("Idle"), tenant: a.slug, scopes: [unused.id] });
    const agent = await makeAgent(owner, a.id, { status: "active", owner: member.id });
    for (const role of [globalRole, sender, writer]) await assignRole(owner, agent.id, role.id);

    const detail = await getAgentDetail(colleague, agent.id);
    expect(detail.roles.map((r) => [r.name, r.global])).toEqual([
      [globalRole.name, true],
      [sender.name, false],
      [writer.name, false],
    ]);
    expect(detail.effectiveScopes).toEqual(
      [
        { name: contacts.name, description: "Read contacts", risk: "low", via: [globalRole.name, sender.name] },
        { name: files.name, description: "Write files", risk: "high", via: [writer.name] },
        { name: mail.name, description: "Send mail", risk: "medium", via: [sender.name, writer.name] },
      ].sort((x, y) => x.name.localeCompare(y.name)),
    );
    expect(detail).toMatchObject({
      status: "active",
      environment: "development",
      owner: { id: member.id },
      orphaned: false,
      review: "ok",
      can: { write: false, renew: false },
    });
    expect(detail.history.map((h) => [h.from, h.to])).toEqual([
      ["pending", "active"],
      [null, "pending"],
    ]);
    // A tenant owner does all but pull the kill switch (security admins' and the agent's owners').
    expect((await getAgentDetail(owner, agent.id)).can).toEqual({
      write: true,
      owner: false,
      renew: true,
      suspend: true,
      credentials: true,
      revokeTokens: true,
      consent: true,
      kill: false,
      audit: true,
      grants: true,
    });

    await removeRole(owner, agent.id, sender.id);
    const after = await getAgentDetail(owner, agent.id);
    expect(after.effectiveScopes.map((s) => [s.name, s.via])).toEqual(
      [
        [contacts.name, [globalRole.name]],
        [files.name, [writer.name]],
        [mail.name, [writer.name]],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
    await expect(removeRole(owner, agent.id, sender.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(assignRole(owner, agent.id, writer.id)).rejects.toBeInstanceOf(ConflictError);
  });

  it("shows no scopes for an agent without roles, and NotFound for junk ids", async () => {
    const agent = await makeAgent(owner, a.id);
    const detail = await getAgentDetail(owner, agent.id);
    expect(detail.effectiveScopes).toEqual([]);
    expect(detail.review).toBe("none");
    for (const id of ["junk", "00000000-0000-4000-8000-000000000000", ""]) {
      await expect(getAgentDetail(owner, id)).rejects.toBeInstanceOf(NotFoundError);
    }
  });

  it("marks an agent orphaned once its owner is deactivated", async () => {
    const leaving = await makeCaller({ tenants: { [a.id]: "member" } });
    const agent = await makeAgent(owner, a.id, { status: "active", owner: leaving.id });
    expect((await getAgentDetail(owner, agent.id)).orphaned).toBe(false);
    await deactivateUser(admin, leaving.id, { reason: "Left the company" });
    expect((await getAgentDetail(owner, agent.id)).orphaned).toBe(true);
    await transitionAgent(owner, agent.id, { transition: "retire", reason: "No owner" });
    expect((await getAgentDetail(owner, agent.id)).orphaned).toBe(false);
  });
});
