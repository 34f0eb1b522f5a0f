// Decisions over real HTTP: POST /api/v1/decisions per second at a fixed number of requests in
// flight, with 10, 100 and 1,000 Cedar policies, every answer recorded as an audit event as in
// production, on PGlite and on PostgreSQL side by side; and Cedar's own time per decision, in
// process. Issue 5. Run alone with `npm run bench -- decisions`.
import os from "node:os";
import { performance } from "node:perf_hooks";
import type { DecisionCode } from "../server/policies/decide";
import { createPolicy } from "../server/policies/policies";
import { makeCaller, makeTenant } from "../tests/factories";
import { type ApiServer, startApiServer } from "./lib/api-server";
import { type CedarAlone, candidateWhere, measureCedar } from "./lib/cedar-alone";
import { BACKEND_LABEL, BACKENDS, type BackendKind, openBenchDatabase } from "./lib/databases";
import { seedDecisionAgents } from "./lib/decision-agents";
import { ACTIONS, planPolicies, requestGenerator } from "./lib/decision-policies";
import { type Benchmark, count, ms, progress, type Table } from "./lib/harness";
import { type Load, type Outcome, timedLoad } from "./lib/http-load";
import { countStatements } from "./lib/statements";

export const AGENTS = 20;
export const POLICY_COUNTS = [10, 100, 1_000];
/** Requests in flight at once: a few busy agents, then many. */
export const CONCURRENCY = [16, 64];
/** Permit.io's published figures for its OPA-based PDP on a 2-CPU pod. */
const PERMIT_IO = { perSecond: 658, p99: 11.85 };

export interface DecisionsOptions {
  backends: BackendKind[];
  policyCounts: number[];
  concurrency: number[];
  warmupMs: number;
  durationMs: number;
  /** Decisions timed in process for Cedar alone, per policy count. */
  cedarCalls: number;
}
export const DEFAULTS: DecisionsOptions = {
  backends: BACKENDS,
  policyCounts: POLICY_COUNTS,
  concurrency: CONCURRENCY,
  warmupMs: 2_000,
  durationMs: 10_000,
  cedarCalls: 2_000,
};

type Kind = "allow" | "forbid" | "noPermit" | "approval";
const KIND_LABEL: Record<Kind, string> = {
  allow: "allow",
  forbid: "forbidden",
  noPermit: "deny by default",
  approval: "needs approval",
};
const KINDS = Object.keys(KIND_LABEL) as Kind[];
type Tally = Record<Kind, number> & { candidates: number };
const emptyTally = (): Tally => ({ allow: 0, forbid: 0, noPermit: 0, approval: 0, candidates: 0 });

/** The answers a policy gives, by their code; any other code (an expired token, a failed evaluation) is an error. */
const KIND_OF_CODE: Partial<Record<DecisionCode, Kind>> = {
  permitted: "allow",
  forbidden_by_policy: "forbid",
  no_permitting_policy: "noPermit",
  approval_required: "approval",
};
const EXPECTED_DECISION: Record<Kind, string> = {
  allow: "allow",
  forbid: "deny",
  noPermit: "deny",
  approval: "needs_approval",
};

export function kindOf(answer: { decision?: string; code?: string }): Kind | undefined {
  const kind = KIND_OF_CODE[answer.code as DecisionCode];
  return kind && EXPECTED_DECISION[kind] === answer.decision ? kind : undefined;
}

/** "SELECT tokens", "INSERT audit_events", "BEGIN": what a statement does, to what. */
function statementKind(sql: string): string {
  // Subqueries out first (innermost parentheses, repeatedly), so that the table is the statement's own.
  let flat = sql;
  for (let before = ""; before !== flat; ) {
    before = flat;
    flat = flat.replace(/\([^()]*\)/g, "");
  }
  const verb =
    /^(SELECT|INSERT|UPDATE|DELETE|BEGIN|COMMIT|ROLLBACK)/i.exec(sql)?.[1]?.toUpperCase() ?? sql.slice(0, 12);
  const table = /\b(?:FROM|INTO|UPDATE)\s+(?:"public"\.)?"?(\w+)"?/i.exec(flat)?.[1];
  return table ? `${verb} ${table}` : verb;
}

interface Row {
  load: Load;
  tally: Tally;
}
const rowKey = (policies: number, concurrency: number) => `${policies} ${concurrency}`;

async function seed(server: ApiServer) {
  const tenantA = await makeTenant();
  const tenantB = await makeTenant();
  const admin = await makeCaller({ global: "security_admin" });
  const scope = ACTIONS.map((a) => a.name).join(" ");
  const agents: { id: string; token: string }[] = [];
  for (const agent of await seedDecisionAgents(admin, tenantA.id, AGENTS)) {
    const res = await fetch(`${server.origin}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: agent.authorization },
      body: new URLSearchParams({ grant_type: "client_credentials", scope }),
    });
    const body = (await res.json()) as { access_token?: string; scope?: string };
    if (res.status !== 200 || !body.access_token || body.scope?.split(" ").length !== ACTIONS.length) {
      throw new Error(`No token with every scope for a bench agent: HTTP ${res.status} ${JSON.stringify(body)}`);
    }
    agents.push({ id: agent.id, token: body.access_token });
  }
  return { tenantA, tenantB, admin, agents };
}

async function runOn(kind: BackendKind, options: DecisionsOptions) {
  const bench = await openBenchDatabase(kind);
  const label = BACKEND_LABEL[kind];
  try {
    const server = await startApiServer();
    try {
      progress(`${bench.version}: seeding ${AGENTS} active agents with tokens`);
      const { tenantA, tenantB, admin, agents } = await seed(server);
      const slugs = { A: tenantA.slug, B: tenantB.slug };
      const db = bench.db.prisma;
      const url = `${server.origin}/api/v1/decisions`;
      const next = requestGenerator(7, slugs);

      let made = 0;
      let lastKind: Kind | undefined;
      let tally = emptyTally();
      let candidates: Record<string, number> = {};
      const ask = async (): Promise<Outcome> => {
        const agent = agents[made % agents.length];
        made++;
        const body = next();
        const res = await fetch(url, {
          method: "POST",
          headers: {
            authorization: `Bearer ${agent.token}`,
            "content-type": "application/json",
            accept: "application/json",
          },
          body: JSON.stringify(body),
        });
        const answer = (await res.json()) as { decision?: string; code?: string };
        if (res.status !== 200) return `HTTP ${res.status} ${JSON.stringify(answer)}`;
        const k = kindOf(answer);
        if (!k) return `not a policy's answer: ${JSON.stringify(answer)}`;
        lastKind = k;
        tally[k]++;
        tally.candidates += candidates[body.action];
      };

      const seeding = new Map<number, number>();
      const candidatesByCount = new Map<number, Record<string, number>>();
      const rows = new Map<string, Row>();
      const cedar = new Map<number, CedarAlone>();
      const statements = new Map<Kind, { decisions: number; statements: Map<string, number> }>();
      const planned = planPolicies(Math.max(...options.policyCounts));
      let seeded = 0;
      for (const n of options.policyCounts) {
        progress(`${label}: creating policies ${seeded + 1}–${n} through createPolicy`);
        const started = performance.now();
        for (const p of planned.slice(seeded, n)) {
          await createPolicy(admin, { name: p.name, text: p.text, tenant: p.tenant === null ? null : slugs[p.tenant] });
        }
        seeding.set(n, (performance.now() - started) / 1000);
        seeded = n;
        await bench.db.sql.exec("ANALYZE");
        candidates = {};
        for (const { name } of ACTIONS) {
          candidates[name] = await db.policy.count({ where: candidateWhere(tenantA.id, name) });
        }
        candidatesByCount.set(n, candidates);

        if (kind === options.backends[0]) {
          progress(`Cedar alone, ${count(n)} policies: ${count(options.cedarCalls)} decisions in process`);
          cedar.set(
            n,
            await measureCedar(db, {
              label: `${kind}-${n}`,
              tenantId: tenantA.id,
              agentIds: agents.map((a) => a.id),
              slugs,
              calls: options.cedarCalls,
            }),
          );
        }
        // The statements one decision sends, by answer (PostgreSQL only: PGlite does not go through
        // pg), one decision at a time so that nothing else is counted; at the smallest set, where
        // every kind of answer occurs.
        if (kind === "postgresql" && n === options.policyCounts[0]) {
          const seen = () => Math.min(...KINDS.map((k) => statements.get(k)?.decisions ?? 0));
          for (let i = 0; i < 600 && seen() < 5; i++) {
            lastKind = undefined;
            const { result, statements: sent } = await countStatements(ask);
            if (result !== undefined || !lastKind)
              throw new Error(`A decision failed while counting statements: ${result}`);
            const s = statements.get(lastKind) ?? { decisions: 0, statements: new Map<string, number>() };
            s.decisions++;
            for (const sql of sent)
              s.statements.set(statementKind(sql), (s.statements.get(statementKind(sql)) ?? 0) + 1);
            statements.set(lastKind, s);
          }
        }
        for (const c of options.concurrency) {
          const timed = emptyTally();
          const load = await timedLoad(
            `${label}, ${count(n)} policies`,
            c,
            {
              warmupMs: options.warmupMs,
              durationMs: options.durationMs,
              beforeTimed: () => {
                tally = timed;
              },
            },
            ask,
          );
          rows.set(rowKey(n, c), { load, tally: timed });
          tally = emptyTally();
        }
      }

      // Every answer is an audit event, warm-up included.
      const recorded = await db.auditEvent.count({ where: { action: "decision.evaluate" } });
      if (recorded !== made) throw new Error(`${made} decisions answered, but ${recorded} decision.evaluate events.`);
      const approvals = await db.approvalRequest.count();
      return {
        version: bench.version,
        seeding,
        candidatesByCount,
        rows,
        cedar,
        statements,
        made,
        approvals,
      };
    } finally {
      await server.close();
    }
  } finally {
    await bench.close();
  }
}

type Result = Awaited<ReturnType<typeof runOn>>;
const pct = (part: number, whole: number) => `${Math.round((100 * part) / whole)}`;
const us = (n: number) => (n < 100 ? n.toFixed(1) : n.toFixed(0));

export async function runDecisions(options: DecisionsOptions = DEFAULTS) {
  const { backends } = options;
  const byBackend = new Map<BackendKind, Result>();
  for (const kind of backends) byBackend.set(kind, await runOn(kind, options));
  const on = (kind: BackendKind) => byBackend.get(kind) as Result;
  const cpus = os.cpus().length;
  const grid = options.policyCounts.flatMap((n) => options.concurrency.map((c) => [n, c] as const));
  const row = (k: BackendKind, n: number, c: number) => on(k).rows.get(rowKey(n, c)) as Row;
  const mean = (t: Tally) => {
    const total = t.allow + t.forbid + t.noPermit + t.approval;
    return total ? t.candidates / total : 0;
  };

  const results: Table = {
    caption: `Decisions per second over HTTP, ${options.durationMs / 1000} s timed per row after ${options.warmupMs / 1000} s of warm-up; latency in ms from sending the request to the end of the answer's body. Every decision writes an audit event:`,
    head: [
      "Policies",
      "In flight",
      ...backends.flatMap((k) => [`${BACKEND_LABEL[k]} req/s`, `${BACKEND_LABEL[k]} p50`, `${BACKEND_LABEL[k]} p99`]),
      "Reference",
    ],
    rows: grid.map(([n, c]) => [
      count(n),
      c,
      ...backends.flatMap((k) => {
        const { load } = row(k, n, c);
        return [count(Math.round(load.perSecond)), ms(load.p50), ms(load.p99)];
      }),
      `${PERMIT_IO.perSecond} req/s, p99 ${PERMIT_IO.p99} ms (Permit.io PDP, 2 CPUs)`,
    ]),
  };
  const checked: Table = {
    caption:
      "Requests timed, errors (anything but a 200 with a policy's code: any error fails the run), the policies each request's Cedar call evaluated (candidates after decide()'s tenant and action filter, mean), and what was decided, % allow / forbidden / no permit (deny by default) / needs approval:",
    head: [
      "Policies",
      "In flight",
      "Candidates",
      ...backends.flatMap((k) => [
        `${BACKEND_LABEL[k]} requests`,
        `${BACKEND_LABEL[k]} errors`,
        `${BACKEND_LABEL[k]} allow / forbid / no permit / approval %`,
      ]),
    ],
    rows: grid.map(([n, c]) => [
      count(n),
      c,
      mean(row(backends[0], n, c).tally).toFixed(1),
      ...backends.flatMap((k) => {
        const { load, tally: t } = row(k, n, c);
        const total = t.allow + t.forbid + t.noPermit + t.approval;
        return [
          count(load.requests),
          load.errors,
          [t.allow, t.forbid, t.noPermit, t.approval].map((x) => pct(x, total)).join(" / "),
        ];
      }),
    ]),
  };
  const loopDelay: Table = {
    caption:
      "Event loop during each timed row: the gap between ticks of a 10 ms timer (perf_hooks.monitorEventLoopDelay; 10 when idle), ms:",
    head: ["Policies", "In flight", ...backends.flatMap((k) => [`${BACKEND_LABEL[k]} p99`, `${BACKEND_LABEL[k]} max`])],
    rows: grid.map(([n, c]) => [
      count(n),
      c,
      ...backends.flatMap((k) => {
        const { loopDelay: l } = row(k, n, c).load;
        return [ms(l.p99), ms(l.max)];
      }),
    ]),
  };
  const first = on(backends[0]);
  const cedar: Table = {
    caption: `Cedar alone, in this process (statefulIsAuthorized on preparsed sets, with decide()'s entities and context; ${count(options.cedarCalls)} decisions timed after one untimed pass), µs per decision; "filtered" is what decide() evaluates (the candidates for the request's action), "whole" every policy of the tenant and global in one set. Parse: preparsePolicySet once, ms (the 8 filtered sets together, or the whole set):`,
    head: [
      "Policies",
      "Filtered: policies",
      "p50",
      "p99",
      "mean",
      "parse ms",
      "Whole: policies",
      "p50",
      "p99",
      "mean",
      "parse ms",
      "Allow %",
    ],
    rows: options.policyCounts.map((n) => {
      const r = first.cedar.get(n) as CedarAlone;
      return [
        count(n),
        r.filtered.policiesPerCall.toFixed(1),
        us(r.filtered.p50),
        us(r.filtered.p99),
        us(r.filtered.mean),
        ms(r.filtered.parseMs),
        count(r.whole.policiesPerCall),
        us(r.whole.p50),
        us(r.whole.p99),
        us(r.whole.mean),
        ms(r.whole.parseMs),
        pct(r.decisions.allow, r.calls),
      ];
    }),
  };
  const candidates: Table = {
    caption: "Candidates by action (enabled, global or the agents' tenant's, naming the action or any action):",
    head: ["Action", "Share of requests %", ...options.policyCounts.map((n) => `${count(n)} policies`)],
    rows: ACTIONS.map((a) => [
      `\`${a.name}\``,
      a.weight,
      ...options.policyCounts.map((n) => first.candidatesByCount.get(n)?.[a.name] ?? 0),
    ]),
  };
  let previous = 0;
  const seeding: Table = {
    caption:
      "Creating the policies through createPolicy (validation against the schema, a policy row, its first version and an audit event, in one transaction), one after another, s (ms per policy):",
    head: ["Policies", ...backends.map((k) => BACKEND_LABEL[k])],
    rows: options.policyCounts.map((n) => {
      const added = n - previous;
      previous = n;
      return [
        `${count(n - added + 1)}–${count(n)}`,
        ...backends.map((k) => {
          const s = on(k).seeding.get(n) ?? 0;
          return `${s.toFixed(1)} (${((1000 * s) / added).toFixed(1)})`;
        }),
      ];
    }),
  };
  const pgStatements = byBackend.get("postgresql")?.statements;
  return {
    notes: [
      `Backends: ${backends.map((k) => on(k).version).join("; ")}. Each is a fresh database (PGlite in memory, in this process), migrated, seeded, analyzed after each batch of policies, dropped after.`,
      `Data: two tenants, a security admin, ${ACTIONS.length} global scopes (${ACTIONS.map((a) => `\`${a.name}\``).join(", ")}), a global role carrying them all, held by ${AGENTS} active agents of the first tenant (mixed teams, regions, clearances and environments as tags and attributes; one quarantined), and a second role held by the finance agents. Each agent has a client_credentials token (POST /oauth/token) with every scope, so every request passes the scope check and reaches Cedar.`,
      "Policies: 10, then 100, then 1,000 (the first 10 and 100 are the start of the 1,000), made by a seeded generator: permits and forbids on one action each with conditions on the agent's tags and environment, the resource's classification and tenant, and the context's amount, currency and recipient_domain; about 5 % name any action; about 3 % are @needs_approval permits on payments. After the first ten, 80 % are global, 10 % the agents' tenant's and 10 % the other tenant's (never candidates).",
      "Requests: a seeded mix of 8 actions (shares below); resources with a classification tag, and for documents, files and contacts a tenant (8 % the other tenant's: decide() looks the slug up); a recipient_domain for email, an amount and currency for payments, a purpose in 2 %. The agents take turns. A needs_approval answer opens an approval request the first time (or reuses the pending one).",
      `The server: node:http on 127.0.0.1 in this process, routing /oauth/* to oidc-provider and POST /api/v1/decisions to the exported route handler (handle(operations.decide)), as a Web Request, with x-mandate-client-ip and x-request-id stamped as server.ts does; Next's router is not in the path. The load comes from the same process through fetch (undici, keep-alive), ${options.concurrency.join(" then ")} loops each sending its next request when its last is answered. One Node thread serves (PGlite runs on it too); the ${cpus} CPUs are shared by server, client and, for PostgreSQL, the database server.`,
      `Checked: every answer must be a 200 with a policy's code (permitted, forbidden_by_policy, no_permitting_policy or approval_required) and the decision that goes with it: an expired token, a failed evaluation or any other answer fails the run; at the end, one decision.evaluate audit event per decision (${backends.map((k) => `${BACKEND_LABEL[k]} ${count(on(k).made)}`).join(", ")}, warm-up included); approval requests opened: ${backends.map((k) => `${BACKEND_LABEL[k]} ${count(on(k).approvals)}`).join(", ")}. In process, the whole set must give the same answer as the filtered one for every request.`,
      ...(pgStatements
        ? [
            `Statements per decision (PostgreSQL, counted at pg.Client#query, one decision at a time at ${count(options.policyCounts[0])} policies), by answer: ${[
              ...pgStatements,
            ]
              .sort(([a], [b]) => KINDS.indexOf(a) - KINDS.indexOf(b))
              .map(([k, s]) => {
                const total = [...s.statements.values()].reduce((a, b) => a + b, 0);
                const each = [...s.statements]
                  .map(([what, times]) => `${what} ${+(times / s.decisions).toFixed(2)}`)
                  .join(", ");
                return `${KIND_LABEL[k]} ${(total / s.decisions).toFixed(1)} (${each}; ${s.decisions} decisions)`;
              })
              .join("; ")}.`,
          ]
        : []),
      `Reference figures, beside Mandate's and not run here: Permit.io's OPA-based PDP served ${PERMIT_IO.perSecond} requests/s at p99 ${PERMIT_IO.p99} ms on a 2-CPU pod; AWS reports Cedar decisions under 1 ms with hundreds of policies (compare with Cedar alone, below).`,
    ],
    tables: [results, checked, loopDelay, cedar, candidates, seeding],
  };
}

const benchmark: Benchmark = {
  name: "decisions",
  title: "Decisions (issue 5)",
  run: () => runDecisions(),
};

export default benchmark;
