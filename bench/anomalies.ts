// Anomalies, issue 8: the dashboard's data queries (activityFor for 24 h, 7 days and 30 days,
// tenant-wide and for one agent; rankAgents) over an audit store of 10,000,000 events on
// PostgreSQL (1,000,000 on PGlite, which holds every row in this process), after rolling the
// events up (timed too) and running detection over the last day. Run alone with
// `npm run bench -- anomalies`.
import { performance } from "node:perf_hooks";
import { HOUR_MS } from "../lib/anomalies/detect";
import { activityFor, rankAgents } from "../server/anomalies/activity";
import { detectAnomalies } from "../server/anomalies/anomalies";
import { rollUpActivity } from "../server/anomalies/rollup";
import { makeAgent, makeCaller, makeTenant } from "../tests/factories";
import { BACKEND_LABEL, BACKENDS, type BackendKind, openBenchDatabase } from "./lib/databases";
import { type Benchmark, count, measure, ms, progress, type Table } from "./lib/harness";

const EVENTS: Record<BackendKind, number> = {
  postgresql: Number(process.env.BENCH_ANOMALY_EVENTS ?? 10_000_000),
  pglite: Number(process.env.BENCH_ANOMALY_EVENTS_PGLITE ?? 1_000_000),
};
const AGENTS = 50;
const BATCH = 500_000;
/** Thirty days of traffic, whatever the count: events are spread evenly over them. */
const SPAN_MS = 30 * 24 * HOUR_MS;

const benchmark: Benchmark = {
  name: "anomalies",
  title: "Anomaly dashboard (issue 8)",
  async run() {
    const notes: string[] = [];
    const tables: Table[] = [];
    const backends = (process.env.BENCH_ANOMALY_BACKENDS?.split(",") as BackendKind[] | undefined) ?? BACKENDS;
    for (const kind of backends) {
      const bench = await openBenchDatabase(kind);
      const label = BACKEND_LABEL[kind];
      try {
        notes.push(`${label}: ${bench.version}`);
        const admin = await makeCaller({ global: "security_admin" });
        const tenant = await makeTenant();
        const agents: string[] = [];
        for (let i = 0; i < AGENTS; i++) agents.push((await makeAgent(admin, tenant.id, { status: "active" })).id);
        const n = EVENTS[kind];
        const end = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
        for (let from = 1; from <= n; from += BATCH) {
          const to = Math.min(n, from + BATCH - 1);
          progress(`${label}: events ${count(from)}–${count(to)}`);
          // Decisions and token issuance by the agents, a working-day rhythm (more in the day),
          // one in twelve denied, two addresses per agent.
          await bench.db.sql.query(
            `INSERT INTO audit_events (occurred_at, tenant_id, actor_type, actor_id, actor_label, action, target_type,
                                       target_id, outcome, ip, data)
             SELECT to_timestamp(($1::double precision - $2::double precision * (1 - i::double precision / $3)) / 1000)
                      - ((abs(hashint8(i)) % 3) * interval '4 hours'),
                    $4::uuid, 'agent', ($5::uuid[])[1 + abs(hashint8(i * 7)) % array_length($5::uuid[], 1)]::text,
                    'bench-agent', CASE WHEN i % 20 = 0 THEN 'oauth.token.issued' ELSE 'decision.evaluate' END,
                    'decision', md5(i::text), CASE WHEN i % 12 = 0 THEN 'denied' ELSE 'success' END,
                    '10.1.' || (abs(hashint8(i * 7)) % 50) || '.' || (i % 2),
                    jsonb_build_object('decision', CASE WHEN i % 12 = 0 THEN 'deny' ELSE 'allow' END,
                                       'code', CASE WHEN i % 997 = 0 THEN 'action_not_in_scopes' ELSE 'permitted' END,
                                       'resource', jsonb_build_object('type', 'Contact', 'id', 'c-' || (i % 5000)))
               FROM generate_series($6::bigint, $7::bigint) i`,
            [end, SPAN_MS, n, tenant.id, agents, from, to],
          );
        }
        await bench.db.sql.exec("ANALYZE audit_events");
        const db = bench.db.prisma;
        progress(`${label}: rolling ${count(n)} events up`);
        let t = performance.now();
        await rollUpActivity(db, { from: new Date(end - SPAN_MS - 24 * HOUR_MS), to: new Date(end + HOUR_MS) });
        const rollup = (performance.now() - t) / 1000;
        progress(`${label}: detection over the last 24 hours`);
        t = performance.now();
        const found = await detectAnomalies(db, { from: new Date(end - 24 * HOUR_MS), to: new Date(end + HOUR_MS) });
        const detection = (performance.now() - t) / 1000;
        progress(`${label}: one minute's incremental rollup and detection`);
        t = performance.now();
        await rollUpActivity(db);
        await detectAnomalies(db);
        const incremental = (performance.now() - t) / 1000;
        const rollups = await db.activityRollup.count();
        notes.push(
          `${label}: ${count(n)} events rolled up in ${rollup.toFixed(1)} s into ${count(rollups)} rollup rows; detection over 24 hours × ${AGENTS} agents ${detection.toFixed(1)} s (${found} anomalies); the every-minute run (incremental rollup + detection) ${incremental.toFixed(2)} s.`,
        );
        const rows: (string | number)[][] = [];
        const queries: [string, () => Promise<unknown>][] = [
          ["tenant, 24 hours (hourly, with baseline)", () => activityFor(admin, tenant.id, { range: "24h" })],
          ["tenant, 7 days (hourly, with baseline)", () => activityFor(admin, tenant.id, { range: "7d" })],
          ["tenant, 30 days (daily)", () => activityFor(admin, tenant.id, { range: "30d" })],
          ["one agent, 7 days", () => activityFor(admin, tenant.id, { range: "7d", agent: agents[3] })],
          ["agents ranked by anomaly score", () => rankAgents(admin, tenant.id)],
        ];
        for (const [name, fn] of queries) {
          progress(`${label}: ${name}`);
          const timing = await measure(fn, { warmup: 3, runs: 20 });
          rows.push([name, ms(timing.p50), ms(timing.p95)]);
        }
        tables.push({
          caption: `Dashboard data queries on ${label}, ${count(n)} events over 30 days by ${AGENTS} agents (read from the rollups); 3 warm-up calls, then 20 timed, ms`,
          head: ["query", "p50", "p95"],
          rows,
        });
      } finally {
        await bench.close();
      }
    }
    return { notes, tables };
  },
};

export default benchmark;
