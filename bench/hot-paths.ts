// Issue 17's measurement: Mandate's hot paths (introspection, client_credentials, decisions at 10
// and 1,000 policies) against references measured in the same run, alternating (Mandate, its
// reference, Mandate, the reference): a bare node:http server with the same prepared statements
// (bench/lib/reference-bare.ts) and oidc-provider alone over plain pg (bench/lib/reference-oidc.ts).
// Every server runs in a process of its own (Mandate is the production server.ts), so that CPU per
// request is read from /proc for the server's process tree and for the PostgreSQL backends serving
// it: requests per second swing on a shared machine, CPU per request much less. Then the same paths
// on the embedded database, and the console's page time with and without 200 decisions/s of load.
// Run alone with `npm run bench -- hot-paths`; BENCH_CPU_PROF=<dir> profiles Mandate (one process
// per path, --cpu-prof) and adds the top of each profile; HOT_PATHS_QUICK=1 is a short smoke run.
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { installDatabase } from "../server/db";
import { type Database, openDatabase } from "../server/db/client";
import { migrate } from "../server/db/migrate";
import { createPolicy } from "../server/policies/policies";
import { makeCaller, makeTenant, makeUser, sessionCookie } from "../tests/factories";
import { kindOf } from "./decisions";
import { type ChildServer, ensureBuild, freePort, startMandate, startReference } from "./lib/child-server";
import { openBenchDatabase, pgliteVersion } from "./lib/databases";
import { seedDecisionAgents } from "./lib/decision-agents";
import { ACTIONS, planPolicies, requestGenerator } from "./lib/decision-policies";
import { type Benchmark, count, ms, percentile, progress, type Table } from "./lib/harness";
import { type Load, load, type Outcome } from "./lib/http-load";
import { backendPids, cpuBetween, pidsCpu, treeCpu } from "./lib/proc-cpu";
import { profileTop } from "./lib/profile-top";

const QUICK = process.env.HOT_PATHS_QUICK === "1";
const OPTIONS = QUICK
  ? { warmupMs: 1_000, durationMs: 2_000, concurrency: [16], rounds: 1, consoleMs: 3_000 }
  : { warmupMs: 3_000, durationMs: 8_000, concurrency: [16, 64], rounds: 2, consoleMs: 10_000 };
const HEADLINE = 16;
const AGENTS = 50;
const CONSOLE_LOAD_PER_SECOND = 200;
/** "Not slowed", as this benchmark reads the issue (which sets no figure): a loaded p95 within this factor of the idle one. */
const CONSOLE_SLOWDOWN = 1.25;
const PROFILE_DIR = process.env.BENCH_CPU_PROF ? path.resolve(process.env.BENCH_CPU_PROF) : undefined;
/** Told apart in pg_stat_activity by application_name (PGAPPNAME), so each one's backends are summed alone. */
const APP = { bench: "hot-paths-bench", mandate: "hot-paths-mandate", bare: "hot-paths-bare", oidc: "hot-paths-oidc" };
const AUTH_SECRET = "hot-paths-bench-secret-".padEnd(48, "x");

type Backend = "postgresql" | "pglite";
type PathName = "introspection" | "client_credentials" | "decisions-10" | "decisions-1000";
type ServerName = "Mandate" | "bare node:http" | "oidc-provider alone";
const PATHS: { name: PathName; label: string; reference: ServerName }[] = [
  { name: "introspection", label: "Introspection", reference: "bare node:http" },
  { name: "client_credentials", label: "client_credentials grant", reference: "oidc-provider alone" },
  { name: "decisions-10", label: "Decision, 10 policies", reference: "bare node:http" },
  { name: "decisions-1000", label: "Decision, 1,000 policies", reference: "bare node:http" },
];
/** In this order: introspection before grants add token rows, the console before the 1,000 policies. */
const STEPS = ["introspection", "client_credentials", "decisions-10", "console", "decisions-1000"] as const;

interface Agent {
  id: string;
  name: string;
  secret: string;
  /** `Basic …` for client_secret_basic. */
  authorization: string;
  /** A token with every action's scope, from Mandate's /oauth/token. */
  token?: string;
}
interface World {
  slugs: { A: string; B: string };
  admin: Awaited<ReturnType<typeof makeCaller>>;
  agents: Agent[];
  consoleCookie: string;
  policies: number;
}

/** What one server did in one timed window. */
interface Measured {
  backend: Backend;
  path: PathName;
  server: ServerName;
  concurrency: number;
  round: number;
  load: Load;
  serverMs: number;
  /** PostgreSQL backends' CPU; undefined on the embedded database (it is in the server's process). */
  dbMs?: number;
}
interface ConsoleRun extends Awaited<ReturnType<typeof consolePages>> {
  backend: Backend;
  condition: string;
}

const FORM = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };

/** The benchmark's world, through Mandate's own functions on the installed database. */
async function seedWorld(): Promise<World> {
  const tenantA = await makeTenant();
  const tenantB = await makeTenant();
  const admin = await makeCaller({ global: "security_admin" });
  const person = await makeUser({ global: "security_admin" });
  const agents: Agent[] = await seedDecisionAgents(admin, tenantA.id, AGENTS);
  const world = {
    slugs: { A: tenantA.slug, B: tenantB.slug },
    admin,
    agents,
    consoleCookie: await sessionCookie(person, AUTH_SECRET),
    policies: 0,
  };
  await addPolicies(world, 10);
  return world;
}

/** Grows the policy set to n with the decisions benchmark's seeded policies (bench/lib/decision-policies.ts). */
async function addPolicies(world: World, n: number) {
  progress(`creating policies ${world.policies + 1}–${n} through createPolicy`);
  for (const p of planPolicies(n).slice(world.policies)) {
    const tenant = p.tenant === null ? null : world.slugs[p.tenant];
    await createPolicy(world.admin, { name: p.name, text: p.text, tenant });
  }
  world.policies = n;
}

/** A token with every action's scope for each agent, through the running server's /oauth/token. */
async function issueTokens(origin: string, agents: Agent[]) {
  const scope = ACTIONS.map((a) => a.name).join(" ");
  for (const agent of agents) {
    const res = await fetch(`${origin}/oauth/token`, {
      method: "POST",
      headers: { ...FORM, authorization: agent.authorization },
      body: new URLSearchParams({ grant_type: "client_credentials", scope }),
    });
    const body = (await res.json()) as { access_token?: string; scope?: string };
    if (res.status !== 200 || !body.access_token || body.scope?.split(" ").length !== ACTIONS.length) {
      throw new Error(`No token with every scope for a bench agent: HTTP ${res.status} ${JSON.stringify(body)}`);
    }
    agent.token = body.access_token;
  }
}

/** The request one loop sends for a path to a server; every answer is checked. */
function requestFor(pathName: PathName, server: ServerName, origin: string, world: World): () => Promise<Outcome> {
  const { agents } = world;
  let turn = 0;
  const nextAgent = () => agents[turn++ % agents.length];
  if (pathName === "introspection") {
    const url = server === "Mandate" ? `${origin}/oauth/introspect` : `${origin}/introspect`;
    return async () => {
      const agent = nextAgent();
      const res = await fetch(url, {
        method: "POST",
        // Mandate: the agent introspects its own token; the bare server authenticates nobody.
        headers: server === "Mandate" ? { ...FORM, authorization: agent.authorization } : FORM,
        body: `token=${encodeURIComponent(agent.token as string)}`,
      });
      const body = (await res.json()) as { active?: boolean; client_id?: string };
      if (res.status !== 200 || body.active !== true || body.client_id !== agent.id) {
        return `HTTP ${res.status} ${JSON.stringify(body)}`;
      }
    };
  }
  if (pathName === "client_credentials") {
    return async () => {
      const agent = nextAgent();
      const res = await fetch(`${origin}/oauth/token`, {
        method: "POST",
        headers: { ...FORM, authorization: agent.authorization },
        body: "grant_type=client_credentials",
      });
      const body = (await res.json()) as { access_token?: string };
      if (res.status !== 200 || typeof body.access_token !== "string")
        return `HTTP ${res.status} ${JSON.stringify(body)}`;
    };
  }
  const next = requestGenerator(7, world.slugs);
  const url = server === "Mandate" ? `${origin}/api/v1/decisions` : `${origin}/decide`;
  return async () => {
    const agent = nextAgent();
    const res = await fetch(url, {
      method: "POST",
      headers: {
        authorization: `Bearer ${agent.token}`,
        "content-type": "application/json",
        accept: "application/json",
      },
      body: JSON.stringify(next()),
    });
    const answer = (await res.json()) as { decision?: string; code?: string };
    const ok = server === "Mandate" ? kindOf(answer) !== undefined : answer.decision === "allow";
    if (res.status !== 200 || !ok) return `HTTP ${res.status} ${JSON.stringify(answer)}`;
  };
}

/** Reads a server's CPU (its process tree, and on PostgreSQL its backends) around a timed window. */
interface Meter {
  pid: number;
  application?: string;
}

/** Warm-up, then the timed window with CPU read before and after; any error fails the run. */
async function measure(
  meter: Meter,
  pg: { admin: pg.Client; database: string } | undefined,
  label: string,
  concurrency: number,
  request: () => Promise<Outcome>,
) {
  progress(
    `${label}, ${concurrency} in flight: ${OPTIONS.warmupMs / 1000} s warm-up, ${OPTIONS.durationMs / 1000} s timed`,
  );
  const warm = await load(concurrency, OPTIONS.warmupMs, request);
  const backends = async () => (pg && meter.application ? backendPids(pg.admin, pg.database, meter.application) : []);
  const beforePids = await backends();
  const before = { server: treeCpu(meter.pid), db: pidsCpu(beforePids) };
  const timed = await load(concurrency, OPTIONS.durationMs, request);
  const after = {
    server: treeCpu(meter.pid),
    db: pidsCpu([...new Set([...beforePids, ...(await backends())])]),
  };
  for (const run of [warm, timed]) {
    if (run.errors > 0) {
      throw new Error(
        `${label}, ${concurrency} in flight: ${run.errors} of ${run.requests} failed; first: ${run.firstError}`,
      );
    }
  }
  const serverMs = cpuBetween(before.server, after.server) / timed.requests;
  const dbMs = pg ? cpuBetween(before.db, after.db) / timed.requests : undefined;
  progress(
    `  ${count(Math.round(timed.perSecond))}/s, p50 ${ms(timed.p50)} ms, p99 ${ms(timed.p99)} ms; CPU/req server ${serverMs.toFixed(3)} ms${dbMs === undefined ? "" : `, database ${dbMs.toFixed(3)} ms`}`,
  );
  return { load: timed, serverMs, dbMs, answered: warm.requests + timed.requests };
}

/**
 * A console page (the agents list) fetched one after another for `durationMs`, with or without an
 * open-loop pacer sending `perSecond` decisions meanwhile (sent on schedule, answered or not).
 * Failures are counted and reported, not thrown: past what the server sustains, the failures are
 * the finding.
 */
async function consolePages(origin: string, world: World, durationMs: number, perSecond: number) {
  const page = `${origin}/${world.slugs.A}/agents`;
  const cookie = `next-auth.session-token=${world.consoleCookie}`;
  const samples: number[] = [];
  const pageErrors: string[] = [];
  const decide = requestFor("decisions-10", "Mandate", origin, world);
  const decisionTimes: number[] = [];
  const decisionErrors: string[] = [];
  const pending = new Set<Promise<void>>();
  const start = performance.now();
  let sent = 0;
  const send = () => {
    const t = performance.now();
    const p = decide()
      .then(
        (outcome) => (outcome ? decisionErrors.push(outcome) : decisionTimes.push(performance.now() - t)),
        (error: Error & { cause?: { code?: string; message?: string } }) =>
          decisionErrors.push(
            error.cause ? `${error.message}: ${error.cause.code ?? error.cause.message}` : error.message,
          ),
      )
      .then(() => {
        pending.delete(p);
      });
    pending.add(p);
  };
  const pacer =
    perSecond > 0
      ? setInterval(() => {
          // The schedule ends with the timed window, even while the last page is still loading.
          const elapsed = Math.min(performance.now() - start, durationMs);
          for (const due = Math.floor((elapsed / 1000) * perSecond); sent < due; sent++) send();
        }, 2)
      : undefined;
  try {
    while (performance.now() - start < durationMs) {
      const t = performance.now();
      const res = await fetch(page, { headers: { cookie }, redirect: "manual" });
      const html = await res.text();
      samples.push(performance.now() - t);
      if (res.status !== 200 || !world.agents.some((a) => html.includes(a.name))) {
        pageErrors.push(`HTTP ${res.status}${res.status === 200 ? " without the seeded agents" : ""}`);
      }
    }
  } finally {
    clearInterval(pacer);
  }
  const seconds = (performance.now() - start) / 1000;
  await Promise.all(pending);
  samples.sort((a, b) => a - b);
  decisionTimes.sort((a, b) => a - b);
  return {
    pages: samples.length,
    pageErrors: pageErrors.length,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    decisions:
      perSecond > 0
        ? {
            sent,
            answered: decisionTimes.length,
            errors: decisionErrors.length,
            firstError: decisionErrors[0] ?? pageErrors[0],
            perSecond: decisionTimes.length / seconds,
            p99: decisionTimes.length ? percentile(decisionTimes, 99) : Number.NaN,
          }
        : undefined,
  };
}

/** The busiest profile a Mandate process (or its workers) wrote into `dir`, and its top after start-up. */
function topOfProfile(dir: string, startupMs: number) {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => path.join(dir, f))
    .sort((a, b) => statSync(b).size - statSync(a).size);
  return files[0] ? { file: files[0], ...profileTop(files[0], 12, startupMs) } : undefined;
}

interface Run {
  backend: Backend;
  version: string;
  rows: Measured[];
  consoleRuns: ConsoleRun[];
  profiles: Map<string, ReturnType<typeof topOfProfile>>;
  /** decision.evaluate events expected (every decision answered, warm-ups included) and found. */
  audit: { answered: number; recorded: number };
}

/**
 * One backend: seed, then per path a fresh Mandate process (seeding happens while none runs: the
 * embedded database is one process's), the rounds alternating with the reference, and the console.
 */
async function runOn(backend: Backend): Promise<Run> {
  const run: Run = {
    backend,
    version: "",
    rows: [],
    consoleRuns: [],
    profiles: new Map(),
    audit: { answered: 0, recorded: 0 },
  };
  let db: Database;
  let dropDatabase = async () => {};
  let databaseUrl: string | undefined;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "mandate-hot-paths-"));
  const port = await freePort();
  if (backend === "postgresql") {
    const bench = await openBenchDatabase("postgresql");
    db = bench.db;
    databaseUrl = bench.url as string;
    run.version = bench.version;
    dropDatabase = bench.close;
  } else {
    db = await openDatabase({ dataDir });
    await migrate(db.sql);
    installDatabase(db);
    run.version = `PGlite ${pgliteVersion()} (embedded, DATA_DIR in a temporary folder)`;
  }
  /** The embedded database is closed while Mandate runs, and reopened to seed. */
  const reopen = async () => {
    if (backend === "pglite") {
      db = await openDatabase({ dataDir });
      installDatabase(db);
    }
  };
  const release = async () => {
    await db.sql.exec("ANALYZE");
    if (backend === "pglite") {
      installDatabase(undefined);
      await db.close();
    }
  };

  const admin = databaseUrl ? new pg.Client({ connectionString: databaseUrl }) : undefined;
  const refs: Partial<Record<ServerName, ChildServer>> = {};
  try {
    progress(`${run.version}: seeding ${AGENTS} agents with a client secret each, 10 policies, a console user`);
    const world = await seedWorld();
    await release();
    const pgMeter = admin && databaseUrl ? { admin, database: new URL(databaseUrl).pathname.slice(1) } : undefined;
    if (admin) await admin.connect();

    for (const step of STEPS) {
      if (step === "decisions-1000") {
        await reopen();
        await addPolicies(world, 1_000);
        await release();
      }
      const cpuProfDir = PROFILE_DIR && path.join(PROFILE_DIR, `${backend}-${step}`);
      const mandate = await startMandate({
        port,
        database: databaseUrl ? { url: databaseUrl } : { dataDir },
        authSecret: AUTH_SECRET,
        applicationName: APP.mandate,
        cpuProfDir,
      });
      try {
        if (!world.agents[0].token) await issueTokens(mandate.origin, world.agents);
        if (databaseUrl && !refs["bare node:http"]) {
          refs["bare node:http"] = await startReference("bench/lib/reference-bare.ts", {
            DATABASE_URL: databaseUrl,
            PGAPPNAME: APP.bare,
          });
          refs["oidc-provider alone"] = await startReference("bench/lib/reference-oidc.ts", {
            DATABASE_URL: databaseUrl,
            PGAPPNAME: APP.oidc,
            REFERENCE_CLIENTS: JSON.stringify(world.agents.map((a) => ({ client_id: a.id, client_secret: a.secret }))),
            REFERENCE_SCOPES: ACTIONS.map((a) => a.name).join(" "),
          });
        }
        if (step === "console") {
          for (const perSecond of [0, CONSOLE_LOAD_PER_SECOND]) {
            const condition = perSecond ? `${perSecond} decisions/s meanwhile` : "no load";
            progress(
              `console: the agents page, one fetch after another for ${OPTIONS.consoleMs / 1000} s, ${condition}`,
            );
            const r = await consolePages(mandate.origin, world, OPTIONS.consoleMs, perSecond);
            progress(
              `  ${r.pages} pages (${r.pageErrors} failed), p50 ${ms(r.p50)} ms, p95 ${ms(r.p95)} ms${r.decisions ? `; decisions ${r.decisions.answered} answered, ${r.decisions.errors} failed of ${r.decisions.sent}` : ""}`,
            );
            run.consoleRuns.push({ backend, condition, ...r });
            run.audit.answered += r.decisions?.answered ?? 0;
            // A decision that failed (a 503 when the database queue overflows) records nothing.
          }
          continue;
        }
        const spec = PATHS.find((p) => p.name === step) as (typeof PATHS)[number];
        const servers: [ServerName, ChildServer, string?][] = [["Mandate", mandate, pgMeter && APP.mandate]];
        const reference = refs[spec.reference];
        if (reference)
          servers.push([spec.reference, reference, spec.reference === "bare node:http" ? APP.bare : APP.oidc]);
        // Rounds alternate Mandate with its reference; the embedded database has none: one round.
        const rounds = reference ? OPTIONS.rounds : 1;
        for (const concurrency of OPTIONS.concurrency) {
          for (let round = 1; round <= rounds; round++) {
            for (const [server, child, application] of servers) {
              const m = await measure(
                { pid: child.pid, application },
                pgMeter,
                `${backend} ${spec.label}, ${server} (round ${round})`,
                concurrency,
                requestFor(step, server, child.origin, world),
              );
              run.rows.push({ backend, path: step, server, concurrency, round, ...m });
              if (step.startsWith("decisions")) run.audit.answered += m.answered;
            }
          }
        }
      } finally {
        await mandate.stop();
      }
      if (cpuProfDir) run.profiles.set(step, topOfProfile(cpuProfDir, mandate.startupMs));
    }
    await reopen();
    run.audit.recorded = await db.prisma.auditEvent.count({ where: { action: "decision.evaluate" } });
    return run;
  } finally {
    await Promise.all(Object.values(refs).map((r) => r.stop()));
    await admin?.end().catch(() => {});
    if (backend === "pglite") {
      installDatabase(undefined);
      await db.close().catch(() => {});
    }
    await dropDatabase();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Both rounds of one server on one path pooled: mean rate, worst p99, CPU per request over all requests. */
function pooled(rows: Measured[]) {
  const requests = rows.reduce((s, r) => s + r.load.requests, 0);
  const per = (f: (r: Measured) => number | undefined) =>
    rows.some((r) => f(r) === undefined)
      ? undefined
      : rows.reduce((s, r) => s + (f(r) ?? 0) * r.load.requests, 0) / requests;
  return {
    perSecond: rows.reduce((s, r) => s + r.load.perSecond, 0) / rows.length,
    p99: Math.max(...rows.map((r) => r.load.p99)),
    serverMs: per((r) => r.serverMs) as number,
    dbMs: per((r) => r.dbMs),
    totalMs: per((r) => r.serverMs + (r.dbMs ?? 0)) as number,
  };
}

const cpu = (n: number | undefined) => (n === undefined ? "–" : n.toFixed(3));
const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || !b ? "–" : `${(a / b).toFixed(2)}×`;
const perSecond = (n: number) => count(Math.round(n));

function report(runs: Run[]) {
  const pgRun = runs.find((r) => r.backend === "postgresql") as Run;
  const embedded = runs.find((r) => r.backend === "pglite") as Run;
  const label = (p: PathName) => (PATHS.find((x) => x.name === p) as (typeof PATHS)[number]).label;
  const select = (run: Run, p: PathName, c: number, server: ServerName) =>
    run.rows.filter((r) => r.path === p && r.concurrency === c && r.server === server);

  const windows: Table = {
    caption: `PostgreSQL, every timed window in the order run (${OPTIONS.durationMs / 1000} s each after ${OPTIONS.warmupMs / 1000} s of warm-up); latency in ms from sending the request to the end of the answer's body; CPU in ms per request served, from /proc (server: its whole process tree; database: the PostgreSQL backends serving it):`,
    head: [
      "Path",
      "In flight",
      "Round",
      "Server",
      "req/s",
      "p50",
      "p99",
      "Server CPU",
      "DB CPU",
      "Total CPU",
      "Requests",
    ],
    textColumns: 4,
    rows: pgRun.rows.map((r) => [
      label(r.path),
      r.concurrency,
      r.round,
      r.server,
      perSecond(r.load.perSecond),
      ms(r.load.p50),
      ms(r.load.p99),
      cpu(r.serverMs),
      cpu(r.dbMs),
      cpu(r.serverMs + (r.dbMs ?? 0)),
      count(r.load.requests),
    ]),
  };

  const pairs = PATHS.flatMap((spec) =>
    OPTIONS.concurrency.map((c) => ({
      spec,
      c,
      mandate: pooled(select(pgRun, spec.name, c, "Mandate")),
      reference: pooled(select(pgRun, spec.name, c, spec.reference)),
    })),
  );
  const ratios: Table = {
    caption:
      "Mandate : its reference, PostgreSQL, the rounds pooled (rate: their mean; p99: the worse; CPU: over every request of both), CPU in ms per request:",
    head: [
      "Path",
      "In flight",
      "Reference",
      "Mandate req/s",
      "Ref. req/s",
      "Mandate p99",
      "Ref. p99",
      "Server CPU M / R",
      "Server ratio",
      "DB CPU M / R",
      "DB ratio",
      "Total CPU M / R",
      "Total ratio",
    ],
    textColumns: 3,
    rows: pairs.map(({ spec, c, mandate: m, reference: r }) => [
      spec.label,
      c,
      spec.reference,
      perSecond(m.perSecond),
      perSecond(r.perSecond),
      ms(m.p99),
      ms(r.p99),
      `${cpu(m.serverMs)} / ${cpu(r.serverMs)}`,
      ratio(m.serverMs, r.serverMs),
      `${cpu(m.dbMs)} / ${cpu(r.dbMs)}`,
      ratio(m.dbMs, r.dbMs),
      `${cpu(m.totalMs)} / ${cpu(r.totalMs)}`,
      ratio(m.totalMs, r.totalMs),
    ]),
  };

  const at = (p: PathName) => pairs.find((x) => x.spec.name === p && x.c === HEADLINE) as (typeof pairs)[number];
  const yes = (ok: boolean) => (ok ? "yes" : "**no**");
  const intro = at("introspection");
  const grant = at("client_credentials");
  const targets: [string, string, string][] = [
    [
      "Introspection: server CPU/req ≤ 3× bare",
      ratio(intro.mandate.serverMs, intro.reference.serverMs),
      yes(intro.mandate.serverMs <= 3 * intro.reference.serverMs),
    ],
    [
      "Introspection: DB CPU/req ≤ 2× bare",
      ratio(intro.mandate.dbMs, intro.reference.dbMs),
      yes((intro.mandate.dbMs ?? 0) <= 2 * (intro.reference.dbMs ?? 0)),
    ],
    ["Introspection: ≥ 2,000/s", `${perSecond(intro.mandate.perSecond)}/s`, yes(intro.mandate.perSecond >= 2_000)],
    [
      "client_credentials: server CPU/req ≤ 2× oidc-provider alone",
      ratio(grant.mandate.serverMs, grant.reference.serverMs),
      yes(grant.mandate.serverMs <= 2 * grant.reference.serverMs),
    ],
    ["client_credentials: ≥ 600/s", `${perSecond(grant.mandate.perSecond)}/s`, yes(grant.mandate.perSecond >= 600)],
    ...(["decisions-10", "decisions-1000"] as const).flatMap((p): [string, string, string][] => {
      const d = at(p);
      return [
        [
          `${label(p)}: total CPU/req ≤ 3× bare chained`,
          ratio(d.mandate.totalMs, d.reference.totalMs),
          yes(d.mandate.totalMs <= 3 * d.reference.totalMs),
        ],
        [
          `${label(p)}: ahead of the bare chained server's rate (with group commit)`,
          `${perSecond(d.mandate.perSecond)} vs ${perSecond(d.reference.perSecond)}/s`,
          yes(d.mandate.perSecond > d.reference.perSecond),
        ],
      ];
    }),
    [
      "Decision, 10 policies: ≥ 1,500/s",
      `${perSecond(at("decisions-10").mandate.perSecond)}/s`,
      yes(at("decisions-10").mandate.perSecond >= 1_500),
    ],
    [
      "Decision, 10 policies: p99 ≤ 50 ms",
      `${ms(at("decisions-10").mandate.p99)} ms`,
      yes(at("decisions-10").mandate.p99 <= 50),
    ],
    ["Embedded database's figures reported", "below", "yes"],
    ...runs.map((run): [string, string, string] => {
      const [idle, loaded] = run.consoleRuns;
      const failures = loaded.pageErrors + (loaded.decisions?.errors ?? 0);
      const slowed = loaded.p95 > CONSOLE_SLOWDOWN * idle.p95;
      return [
        `Console not slowed by ${CONSOLE_LOAD_PER_SECOND} decisions/s: page p95 within ${CONSOLE_SLOWDOWN}× idle (${run.backend === "pglite" ? "PGlite" : "PostgreSQL"})`,
        `${ms(loaded.p95)} ms loaded vs ${ms(idle.p95)} ms idle (${ratio(loaded.p95, idle.p95)})${failures ? `; ${failures} requests failed` : ""}`,
        yes(!slowed && failures === 0),
      ];
    }),
  ];
  const targetTable: Table = {
    caption: `The issue's "done when", at ${HEADLINE} in flight on PostgreSQL, from this run:`,
    head: ["Target", "This run", "Met"],
    textColumns: 3,
    rows: targets,
  };

  const embeddedTable: Table = {
    caption: `${embedded.version}: Mandate alone (the database runs inside its process, so server CPU is all of it), every timed window:`,
    head: ["Path", "In flight", "Round", "req/s", "p50", "p99", "Server CPU", "Requests"],
    rows: embedded.rows.map((r) => [
      label(r.path),
      r.concurrency,
      r.round,
      perSecond(r.load.perSecond),
      ms(r.load.p50),
      ms(r.load.p99),
      cpu(r.serverMs),
      count(r.load.requests),
    ]),
  };
  const consoleTable: Table = {
    caption: `The console under load: GET /<tenant>/agents (the agents list, server-rendered, signed in as a security admin with the session cookie next-auth writes at sign-in, made as tests/factories.ts's sessionCookie makes it), one request after another for ${OPTIONS.consoleMs / 1000} s, idle and then with an open-loop pacer sending ${CONSOLE_LOAD_PER_SECOND} decisions/s (10 policies) to the same server, ms:`,
    head: [
      "Database",
      "Condition",
      "Pages",
      "Pages failed",
      "Page p50",
      "Page p95",
      "Decisions sent",
      "Answered/s",
      "Decisions failed",
      "Decision p99",
      "First failure",
    ],
    textColumns: 2,
    rows: runs.flatMap((run) =>
      run.consoleRuns.map((c) => [
        run.backend === "pglite" ? "PGlite" : "PostgreSQL",
        c.condition,
        c.pages,
        c.pageErrors,
        ms(c.p50),
        ms(c.p95),
        c.decisions ? count(c.decisions.sent) : "–",
        c.decisions ? perSecond(c.decisions.perSecond) : "–",
        c.decisions ? count(c.decisions.errors) : "–",
        c.decisions?.answered ? ms(c.decisions.p99) : "–",
        c.decisions?.firstError ? c.decisions.firstError.slice(0, 120) : "",
      ]),
    ),
  };
  const profileTables: Table[] = [...pgRun.profiles, ...embedded.profiles].flatMap(([step, top]) =>
    top
      ? [
          {
            ...top.functions,
            caption: `Profile of Mandate, ${step} (\`${path.basename(top.file)}\`; start-up left out, ${ms(top.busyMs)} ms busy sampled): top self time by function:`,
          },
          { ...top.packages, caption: "The same profile, self time by package (the first 12):" },
        ]
      : [],
  );
  return {
    notes: [
      `Databases: ${pgRun.version} (a fresh database, dropped after) and ${embedded.version}. ${os.cpus().length} CPUs shared by the servers, the load generator (this process) and PostgreSQL.`,
      `Servers, each in a process of its own: Mandate is \`server.ts\` with NODE_ENV=production after the production build (as \`npm start\`), WORKERS=${process.env.WORKERS ?? "(unset)"} passed through, rate limits off, no demo seed, one fresh process per path; the bare reference is node:http with a pg Pool of 10 and named prepared statements on Mandate's own tables (introspection: one SELECT by the token's SHA-256; decision: that SELECT and the chained audit append of server/audit/record.ts); oidc-provider alone is the same oidc-provider version with static clients (client_secret_basic), opaque tokens for a resource, and an adapter of one jsonb table over plain pg. Their PostgreSQL backends are told apart by application_name.`,
      `Data: ${AGENTS} active agents with a client secret each (held roles carry the ${ACTIONS.length} decision scopes), tokens from Mandate's /oauth/token with every scope (the bare server introspects and decides on the same token rows); policies: the decisions benchmark's seeded set, its first 10, then 1,000 (bench/lib/decision-policies.ts).`,
      `Load: this process, fetch (undici, keep-alive), ${OPTIONS.concurrency.join(" then ")} loops each sending its next request when its last is answered; per path and in-flight count on PostgreSQL: Mandate, its reference, Mandate, the reference (${OPTIONS.rounds} round${OPTIONS.rounds > 1 ? "s" : ""}; on PGlite, Mandate once), ${OPTIONS.warmupMs / 1000} s warm-up then ${OPTIONS.durationMs / 1000} s timed each. Every answer is checked (introspection: active with the agent's client_id; grant: an access_token; decision: a 200 with a policy's code, or the bare server's allow) and any error fails the run.`,
      `CPU per request: utime + stime from /proc/<pid>/stat before and after each timed window, for the server's whole process tree (parent and descendants, via ppid) and for the PostgreSQL backends serving it (pg_stat_activity's pids for its application_name; backends that appeared meanwhile count from 0), divided by the requests of the window. Mandate's figure includes whatever its background jobs did meanwhile (server/startup/scheduler.ts), as in production.`,
      `Audit: decision.evaluate events recorded ${count(pgRun.audit.recorded)} (PostgreSQL, Mandate's and the bare server's) and ${count(embedded.audit.recorded)} (PGlite), for ${count(pgRun.audit.answered)} and ${count(embedded.audit.answered)} decisions answered (warm-ups included).`,
      ...(PROFILE_DIR
        ? [
            `Profiled: Mandate ran with --cpu-prof (profiles in ${PROFILE_DIR}), which slows it: compare these figures with an unprofiled run's only with care.`,
          ]
        : []),
      ...(QUICK ? ["HOT_PATHS_QUICK=1: a short smoke run, not figures to quote."] : []),
    ],
    tables: [targetTable, ratios, windows, embeddedTable, consoleTable, ...profileTables],
  };
}

const benchmark: Benchmark = {
  name: "hot-paths",
  title: "Hot paths against references (issue 17)",
  async run() {
    // This process's own connections (seeding, pg_stat_activity) are not a server's.
    process.env.PGAPPNAME = APP.bench;
    progress("production build (scripts/ensure-build.mjs)");
    ensureBuild();
    const runs: Run[] = [];
    for (const backend of ["postgresql", "pglite"] as const) runs.push(await runOn(backend));
    for (const run of runs) {
      if (run.audit.recorded !== run.audit.answered) {
        throw new Error(
          `${run.backend}: ${run.audit.answered} decisions answered, but ${run.audit.recorded} decision.evaluate events.`,
        );
      }
    }
    return report(runs);
  },
};

export default benchmark;
