// Token exchange (RFC 8693) beside client_credentials, on PostgreSQL: grants per second, latency
// and CPU per request of the production server (server.ts in a process of its own, as
// bench/hot-paths.ts runs it) and of the PostgreSQL backends serving it, read from /proc. An
// exchange is an agent acting on another agent's live token and asking for one scope of its eight:
// the subject token's lookup, may_act, depth, the narrowing checks, the new token row with its
// chain, and the audit event. The two paths alternate (client_credentials, exchange, and again),
// so that a busy moment of the machine does not fall on one of them only.
// Run alone with `npm run bench -- token-exchange`; TOKEN_EXCHANGE_QUICK=1 is a short smoke run.
import os from "node:os";
import pg from "pg";
import { makeCaller, makeTenant } from "../tests/factories";
import { type ChildServer, ensureBuild, freePort, startMandate } from "./lib/child-server";
import { openBenchDatabase } from "./lib/databases";
import { type SeededAgent, seedDecisionAgents } from "./lib/decision-agents";
import { ACTIONS } from "./lib/decision-policies";
import { type Benchmark, count, ms, progress, type Table } from "./lib/harness";
import { type Load, load, type Outcome } from "./lib/http-load";
import { backendPids, cpuBetween, pidsCpu, treeCpu } from "./lib/proc-cpu";

const QUICK = process.env.TOKEN_EXCHANGE_QUICK === "1";
const OPTIONS = QUICK
  ? { warmupMs: 1_000, durationMs: 2_000, rounds: 1 }
  : { warmupMs: 3_000, durationMs: 8_000, rounds: 2 };
const IN_FLIGHT = 16;
const AGENTS = 50;
const APP = { bench: "token-exchange-bench", mandate: "token-exchange-mandate" };
const AUTH_SECRET = "token-exchange-bench-secret-".padEnd(48, "x");
const FORM = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
const EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
const ACCESS = "urn:ietf:params:oauth:token-type:access_token";

type PathName = "client_credentials" | "token exchange";
interface Agent extends SeededAgent {
  /** A live token with every action's scope: the subject the next agent exchanges. */
  token?: string;
}
interface Window {
  path: PathName;
  round: number;
  load: Load;
  serverMs: number;
  dbMs: number;
}

async function grant(origin: string, agent: Agent, body: Record<string, string>) {
  const res = await fetch(`${origin}/oauth/token`, {
    method: "POST",
    headers: { ...FORM, authorization: agent.authorization },
    body: new URLSearchParams(body),
  });
  return { status: res.status, body: (await res.json()) as { access_token?: string; scope?: string } };
}

/** One loop's next request; every answer is checked (a token, and for an exchange the one scope asked for). */
function requestFor(path: PathName, origin: string, agents: Agent[]): () => Promise<Outcome> {
  let turn = 0;
  return async () => {
    const i = turn++;
    const agent = agents[i % agents.length];
    if (path === "client_credentials") {
      const r = await grant(origin, agent, { grant_type: "client_credentials" });
      if (r.status !== 200 || typeof r.body.access_token !== "string")
        return `HTTP ${r.status} ${JSON.stringify(r.body)}`;
      return;
    }
    // The agent acts on the next agent's token (any agent of the tenant may, by default), with one scope.
    const subject = agents[(i + 1) % agents.length].token as string;
    const scope = ACTIONS[i % ACTIONS.length].name;
    const r = await grant(origin, agent, {
      grant_type: EXCHANGE,
      subject_token: subject,
      subject_token_type: ACCESS,
      scope,
    });
    if (r.status !== 200 || typeof r.body.access_token !== "string" || r.body.scope !== scope) {
      return `HTTP ${r.status} ${JSON.stringify(r.body)}`;
    }
  };
}

async function measure(
  mandate: ChildServer,
  db: { admin: pg.Client; database: string },
  path: PathName,
  round: number,
  request: () => Promise<Outcome>,
): Promise<Window> {
  progress(
    `${path} (round ${round}), ${IN_FLIGHT} in flight: ${OPTIONS.warmupMs / 1000} s warm-up, ${OPTIONS.durationMs / 1000} s timed`,
  );
  const warm = await load(IN_FLIGHT, OPTIONS.warmupMs, request);
  const pids = await backendPids(db.admin, db.database, APP.mandate);
  const before = { server: treeCpu(mandate.pid), db: pidsCpu(pids) };
  const timed = await load(IN_FLIGHT, OPTIONS.durationMs, request);
  const after = {
    server: treeCpu(mandate.pid),
    db: pidsCpu([...new Set([...pids, ...(await backendPids(db.admin, db.database, APP.mandate))])]),
  };
  for (const run of [warm, timed]) {
    if (run.errors > 0) throw new Error(`${path}: ${run.errors} of ${run.requests} failed; first: ${run.firstError}`);
  }
  const window = {
    path,
    round,
    load: timed,
    serverMs: cpuBetween(before.server, after.server) / timed.requests,
    dbMs: cpuBetween(before.db, after.db) / timed.requests,
  };
  progress(
    `  ${count(Math.round(timed.perSecond))}/s, p50 ${ms(timed.p50)} ms, p99 ${ms(timed.p99)} ms; CPU/req server ${window.serverMs.toFixed(3)} ms, database ${window.dbMs.toFixed(3)} ms`,
  );
  return window;
}

const benchmark: Benchmark = {
  name: "token-exchange",
  title: "Token exchange beside client_credentials (PostgreSQL)",
  async run() {
    process.env.PGAPPNAME = APP.bench;
    progress("production build (scripts/ensure-build.mjs)");
    ensureBuild();
    const bench = await openBenchDatabase("postgresql");
    const url = bench.url as string;
    const admin = new pg.Client({ connectionString: url });
    let mandate: ChildServer | undefined;
    const windows: Window[] = [];
    try {
      progress(`${bench.version}: seeding ${AGENTS} agents with a client secret each`);
      const caller = await makeCaller({ global: "security_admin" });
      const tenant = await makeTenant();
      const agents: Agent[] = await seedDecisionAgents(caller, tenant.id, AGENTS);
      await bench.db.sql.exec("ANALYZE");
      await admin.connect();
      mandate = await startMandate({
        port: await freePort(),
        database: { url },
        authSecret: AUTH_SECRET,
        applicationName: APP.mandate,
      });
      const all = ACTIONS.map((a) => a.name).join(" ");
      for (const agent of agents) {
        const r = await grant(mandate.origin, agent, { grant_type: "client_credentials", scope: all });
        if (r.status !== 200 || !r.body.access_token) throw new Error(`No subject token: HTTP ${r.status}`);
        agent.token = r.body.access_token;
      }
      const db = { admin, database: new URL(url).pathname.slice(1) };
      for (let round = 1; round <= OPTIONS.rounds; round++) {
        for (const path of ["client_credentials", "token exchange"] as const) {
          windows.push(await measure(mandate, db, path, round, requestFor(path, mandate.origin, agents)));
        }
      }
      return report(bench.version, windows);
    } finally {
      await mandate?.stop();
      await admin.end().catch(() => {});
      await bench.close();
    }
  },
};

function report(version: string, windows: Window[]) {
  const cpu = (n: number) => n.toFixed(3);
  const table: Table = {
    caption: `PostgreSQL, ${IN_FLIGHT} in flight, every timed window in the order run (${OPTIONS.durationMs / 1000} s each after ${OPTIONS.warmupMs / 1000} s of warm-up); latency in ms from sending the request to the end of the answer's body; CPU in ms per request from /proc (server: Mandate's process tree; database: the PostgreSQL backends serving it):`,
    head: ["Grant", "Round", "req/s", "p50", "p99", "Server CPU", "DB CPU", "Total CPU", "Requests"],
    textColumns: 1,
    rows: windows.map((w) => [
      w.path,
      w.round,
      count(Math.round(w.load.perSecond)),
      ms(w.load.p50),
      ms(w.load.p99),
      cpu(w.serverMs),
      cpu(w.dbMs),
      cpu(w.serverMs + w.dbMs),
      count(w.load.requests),
    ]),
  };
  return {
    notes: [
      `Database: ${version} (a fresh database, dropped after). ${os.cpus().length} CPUs shared by Mandate, the load generator (this process) and PostgreSQL.`,
      `Mandate: \`server.ts\` with NODE_ENV=production after the production build, WORKERS=${process.env.WORKERS ?? "(unset)"} passed through, rate limits off, no demo seed.`,
      `Data: ${AGENTS} active agents of one tenant with a client secret each and a role carrying the ${ACTIONS.length} decision scopes; each holds a live token with all of them (from /oauth/token). client_credentials: an agent asks for a token (no scope). Token exchange: agent i acts on agent i+1's token (client_secret_basic, subject_token_type access_token) asking for one of the ${ACTIONS.length} scopes; every answer must be a 200 with that one scope.`,
      ...(QUICK ? ["TOKEN_EXCHANGE_QUICK=1: a short smoke run, not figures to quote."] : []),
    ],
    tables: [table],
  };
}

export default benchmark;
