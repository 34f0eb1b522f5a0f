// The agents list's server time (listAgents, no HTTP) on 50,000 agents in one tenant, on PGlite and
// on PostgreSQL side by side. Issue 3. Run alone with `npm run bench -- agents-list`.
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { REVIEW_DUE_WINDOW_DAYS } from "../lib/agent-lifecycle";
import { listAgents } from "../server/agents/list-agents";
import { type Caller, loadUserCaller } from "../server/auth/caller";
import type { Prisma, PrismaClient } from "../server/db";
import { BACKEND_LABEL, BACKENDS, type BackendKind, openBenchDatabase } from "./lib/databases";
import { type Benchmark, count, measure, ms, progress, seededRandom, type Table, type Timing } from "./lib/harness";

export const AGENTS = 50_000;
/** A second tenant, so that every query has to filter on the tenant. */
export const OTHER_TENANT_AGENTS = 3_000;
export const USERS = 50;
const DEACTIVATED_USERS = new Set([7, 19, 33, 46]);
const BATCH = 2_000;
const WARMUP = 5;
const RUNS = 50;
const DAY = 86_400_000;

type Status = "PENDING" | "ACTIVE" | "SUSPENDED" | "RETIRED";
type Environment = "DEVELOPMENT" | "STAGING" | "PRODUCTION";

/** An agent as planned before ids exist: owners are indexes into the users. */
interface PlannedAgent {
  name: string;
  owner: number;
  backupOwner: number | null;
  status: Status;
  environment: Environment;
  createdAt: Date;
  activatedAt: Date | null;
  reviewDueAt: Date | null;
  team: string;
}

const PURPOSES = (
  "invoice support billing crm hr sales triage research docs search onboarding payroll " +
  "ledger security compliance marketing inbox calendar forecast pricing fraud claims travel procurement"
).split(" ");
const KINDS = { bot: 35, agent: 30, assistant: 15, worker: 10, copilot: 10 };
const STATUSES: Record<Status, number> = { ACTIVE: 75, PENDING: 10, SUSPENDED: 8, RETIRED: 7 };
const ENVIRONMENTS: Record<Environment, number> = { PRODUCTION: 45, STAGING: 25, DEVELOPMENT: 30 };
const TEAMS = ["finance", "support", "platform", "growth", "people", "risk"] as const;
const FIRST = ["Ada", "Ben", "Chloé", "Dev", "Emma", "Farid", "Grace", "Hiro", "Ines", "Jonas"] as const;
const LAST = ["Okafor", "Lindqvist", "Moreau", "Tanaka", "Silva"] as const;

/** The same agents on every run and every backend (a seeded generator; ids come later). */
export function planAgents(n: number, now: number, seed: number, owners: number): PlannedAgent[] {
  const rnd = seededRandom(seed);
  const agents: PlannedAgent[] = [];
  for (let i = 0; i < n; i++) {
    const status = rnd.weighted(STATUSES);
    // A few people own most agents: skew owner picks towards the first users.
    const owner = Math.floor(owners * rnd.next() ** 1.5);
    let backupOwner: number | null = rnd.next() < 0.4 ? rnd.int(0, owners) : null;
    if (backupOwner === owner) backupOwner = null;
    const createdAt = new Date(now - Math.floor(rnd.next() * 730 * DAY));
    const activated = status !== "PENDING";
    agents.push({
      name: `${rnd.pick(PURPOSES)}-${rnd.weighted(KINDS)}-${String(i).padStart(5, "0")}`,
      owner,
      backupOwner,
      status,
      environment: rnd.weighted(ENVIRONMENTS),
      createdAt,
      activatedAt: activated ? new Date(createdAt.getTime() + rnd.int(0, 2 * DAY)) : null,
      reviewDueAt: activated ? new Date(now + rnd.int(-30 * DAY, 120 * DAY)) : null,
      team: rnd.pick(TEAMS),
    });
  }
  return agents;
}

interface Seeded {
  tenantId: string;
  ownerIds: string[];
  caller: Caller;
  seconds: { users: number; agents: number };
}

export async function seed(
  db: PrismaClient,
  main: PlannedAgent[],
  other: PlannedAgent[],
  now: number,
): Promise<Seeded> {
  let t = performance.now();
  const adminId = randomUUID();
  const userIds = Array.from({ length: USERS }, () => randomUUID());
  await db.user.createMany({
    data: [
      { id: adminId, email: "bench-admin@bench.example", name: "Bench Admin", globalRole: "SECURITY_ADMIN" },
      ...userIds.map((id, i) => ({
        id,
        email: `user${String(i).padStart(2, "0")}@bench.example`,
        name: `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}`,
        deactivatedAt: DEACTIVATED_USERS.has(i) ? new Date(now - (i + 1) * DAY) : null,
      })),
    ],
  });
  const [tenantId, otherTenantId] = [randomUUID(), randomUUID()];
  await db.tenant.createMany({
    data: [
      { id: tenantId, slug: "bench-acme", name: "Acme (bench)" },
      { id: otherTenantId, slug: "bench-globex", name: "Globex (bench)" },
    ],
  });
  await db.membership.createMany({
    data: [
      ...userIds.map((userId, i) => ({ tenantId, userId, role: i < 3 ? ("OWNER" as const) : ("MEMBER" as const) })),
      ...userIds.slice(0, 15).map((userId) => ({ tenantId: otherTenantId, userId, role: "MEMBER" as const })),
    ],
  });
  const users = (performance.now() - t) / 1000;

  t = performance.now();
  const rows = (tenant: string, plan: PlannedAgent[]): Prisma.AgentCreateManyInput[] =>
    plan.map((a) => ({
      id: randomUUID(),
      tenantId: tenant,
      name: a.name,
      description: `Handles ${a.name.split("-")[0]} work for the ${a.team} team.`,
      ownerId: userIds[a.owner],
      backupOwnerId: a.backupOwner === null ? null : userIds[a.backupOwner],
      environment: a.environment,
      attributes: { team: a.team, cost_center: `cc-${a.team.length * 100 + (a.owner % 7)}` },
      status: a.status,
      statusChangedAt: a.activatedAt ?? a.createdAt,
      activatedAt: a.activatedAt,
      reviewDueAt: a.reviewDueAt,
      createdById: adminId,
      createdByLabel: "Bench Admin",
      createdAt: a.createdAt,
      updatedAt: a.activatedAt ?? a.createdAt,
    }));
  for (const [tenant, plan] of [
    [tenantId, main],
    [otherTenantId, other],
  ] as const) {
    const data = rows(tenant, plan);
    for (let i = 0; i < data.length; i += BATCH) await db.agent.createMany({ data: data.slice(i, i + BATCH) });
  }
  const agents = (performance.now() - t) / 1000;

  const caller = await loadUserCaller(db, adminId);
  if (!caller) throw new Error("The bench admin did not load as a caller.");
  return { tenantId, ownerIds: userIds, caller, seconds: { users, agents } };
}

interface Case {
  label: string;
  /** searchParams as the page receives them (given the id of the user who owns the most agents). */
  params: (heavyOwnerId: string) => Record<string, string>;
  pageSize: number;
  /** Which planned agents the query must count (the plan is the truth the result is checked against). */
  matches: (a: PlannedAgent) => boolean;
  /** The review window moves with the clock: allow that many agents to cross it during a run. */
  slack?: number;
}

const HEAVY_OWNER = 0; // the user who owns the most agents

export function cases(main: PlannedAgent[], now: number): Case[] {
  const notRetired = (a: PlannedAgent) => a.status !== "RETIRED";
  const lastPage = Math.ceil(main.length / 50);
  return [
    { label: "First page", params: () => ({}), pageSize: 25, matches: () => true },
    {
      label: "Filtered page",
      params: () => ({ status: "active", environment: "production", page: "3" }),
      pageSize: 25,
      matches: (a) => a.status === "ACTIVE" && a.environment === "PRODUCTION",
    },
    { label: "Search", params: () => ({ q: "bot-0123" }), pageSize: 25, matches: (a) => a.name.includes("bot-0123") },
    {
      label: "Orphaned",
      params: () => ({ orphaned: "true" }),
      pageSize: 25,
      matches: (a) => DEACTIVATED_USERS.has(a.owner) && notRetired(a),
    },
    {
      label: "Sorted page",
      params: () => ({ sort: "name", dir: "asc", page: "100" }),
      pageSize: 25,
      matches: () => true,
    },
    {
      label: "Deep page (last)",
      params: () => ({ page_size: "50", page: String(lastPage) }),
      pageSize: 50,
      matches: () => true,
    },
    {
      label: "Review due",
      params: () => ({ review: "due" }),
      pageSize: 25,
      matches: (a) => notRetired(a) && !!a.reviewDueAt && a.reviewDueAt.getTime() <= now + REVIEW_DUE_WINDOW_DAYS * DAY,
      slack: 50,
    },
    {
      label: "Owner (owner or backup)",
      params: (ownerId) => ({ owner: ownerId }),
      pageSize: 25,
      matches: (a) => a.owner === HEAVY_OWNER || a.backupOwner === HEAVY_OWNER,
    },
  ];
}

const query = (p: Record<string, string>) =>
  Object.entries(p)
    .map(([k, v]) => `${k}=${v}`)
    .join("&") || "(none)";

type Result = Awaited<ReturnType<typeof listAgents>>;
type Results = Map<string, Timing<Result>>;

/** Throws unless the result has the total the plan says and a full (or the last) page of rows. */
function check(c: Case, result: Result, expected: number, where: string) {
  where = `${c.label} on ${where}`;
  if (expected === 0) throw new Error(`${where}: the seeded data has no matching agent; fix the plan.`);
  if (Math.abs(result.total - expected) > (c.slack ?? 0)) {
    throw new Error(`${where}: total ${result.total}, expected ${expected}.`);
  }
  const offset = (result.page - 1) * result.pageSize;
  const rows = Math.max(0, Math.min(result.pageSize, result.total - offset));
  if (result.pageSize !== c.pageSize || result.rows.length !== rows || rows === 0) {
    throw new Error(`${where}: ${result.rows.length} rows on page ${result.page}, expected ${rows} (and more than 0).`);
  }
}

async function measureCases(label: string, seeded: Seeded, main: PlannedAgent[], now: number): Promise<Results> {
  const results: Results = new Map();
  for (const c of cases(main, now)) {
    progress(`${label}: ${c.label}`);
    const params = c.params(seeded.ownerIds[HEAVY_OWNER]);
    const timing = await measure(() => listAgents(seeded.caller, seeded.tenantId, params), {
      warmup: WARMUP,
      runs: RUNS,
    });
    check(c, timing.last, main.filter(c.matches).length, label);
    results.set(c.label, timing);
  }
  return results;
}

async function runOn(kind: BackendKind, main: PlannedAgent[], other: PlannedAgent[], now: number) {
  const bench = await openBenchDatabase(kind);
  try {
    progress(`${bench.version}: seeding ${count(main.length + other.length)} agents`);
    const seeded = await seed(bench.db.prisma, main, other, now);
    // PGlite has no autovacuum (Mandate runs ANALYZE at start and hourly), so a freshly loaded table plans
    // without statistics: measure that first. A server's autovacuum analyzes soon after a bulk load.
    const unanalyzed =
      kind === "pglite" ? await measureCases(`${BACKEND_LABEL[kind]}, not analyzed`, seeded, main, now) : undefined;
    await bench.db.sql.exec("ANALYZE");
    const analyzed = await measureCases(BACKEND_LABEL[kind], seeded, main, now);
    return { version: bench.version, seconds: seeded.seconds, analyzed, unanalyzed };
  } finally {
    await bench.close();
  }
}

const figures = (t: Timing<Result>) => [ms(t.p50), ms(t.p95), ms(t.max)];

const benchmark: Benchmark = {
  name: "agents-list",
  title: "Agents list (issue 3)",
  async run() {
    const now = Date.now();
    const main = planAgents(AGENTS, now, 3, USERS);
    // The other tenant's owners are its 15 members.
    const other = planAgents(OTHER_TENANT_AGENTS, now, 4, 15);
    const byBackend = new Map<BackendKind, Awaited<ReturnType<typeof runOn>>>();
    for (const kind of BACKENDS) byBackend.set(kind, await runOn(kind, main, other, now));
    const on = (kind: BackendKind) => byBackend.get(kind) as Awaited<ReturnType<typeof runOn>>;
    const timing = (results: Results | undefined, c: Case) => results?.get(c.label) as Timing<Result>;

    const list: Table = {
      caption: `listAgents server time in ms after ANALYZE, ${WARMUP} warm-up calls then ${RUNS} timed calls per case:`,
      textColumns: 2,
      head: [
        "Case",
        "Query",
        "Rows",
        "Total",
        ...BACKENDS.flatMap((k) => [`${BACKEND_LABEL[k]} p50`, `${BACKEND_LABEL[k]} p95`, `${BACKEND_LABEL[k]} max`]),
      ],
      rows: cases(main, now).map((c) => {
        const { last } = timing(on(BACKENDS[0]).analyzed, c);
        return [
          c.label,
          `\`${query(c.params("<id>"))}\``,
          last.rows.length,
          count(last.total),
          ...BACKENDS.flatMap((k) => figures(timing(on(k).analyzed, c))),
        ];
      }),
    };
    const pglite = on("pglite");
    const unanalyzed: Table = {
      caption:
        "PGlite before ANALYZE (PGlite has no autovacuum; Mandate refreshes statistics at start and hourly), ms:",
      head: ["Case", "p50", "p95", "max", "p50 after ANALYZE"],
      rows: cases(main, now).map((c) => [
        c.label,
        ...figures(timing(pglite.unanalyzed, c)),
        ms(timing(pglite.analyzed, c).p50),
      ]),
    };
    const seeding: Table = {
      caption: "Seeding through Prisma (createMany, batches of 2,000), s:",
      head: ["Backend", "Users, tenants, memberships", "Agents", "Agents/s"],
      rows: BACKENDS.map((kind) => {
        const s = on(kind).seconds;
        const agents = main.length + other.length;
        return [BACKEND_LABEL[kind], s.users.toFixed(2), s.agents.toFixed(1), count(Math.round(agents / s.agents))];
      }),
    };
    const statuses = Object.entries(STATUSES)
      .map(([s, w]) => `${s.toLowerCase()} ${w}%`)
      .join(", ");
    return {
      notes: [
        `Data: ${count(main.length)} agents in the tenant listed, ${count(other.length)} in a second tenant; ${USERS} users (${DEACTIVATED_USERS.size} deactivated, so some agents are orphaned) plus a security admin, the caller. Statuses ${statuses}; owners skewed towards a few users; review due −30…+120 days.`,
        `Backends: ${BACKENDS.map((k) => on(k).version).join("; ")}. Each is a fresh database (PGlite in memory), migrated, seeded, dropped after.`,
        "Time is performance.now() around listAgents(caller, tenantId, searchParams) in this process: validation, the page query and the count query, the owners query, mapping; no HTTP, no rendering.",
      ],
      tables: [list, unanalyzed, seeding],
    };
  },
};

export default benchmark;
