// The audit store, issue 7, on PGlite and PostgreSQL side by side. Run alone with
// `npm run bench -- audit`.
//  1. Sustained writes: recordAudit (the chained append every audited change and decision makes)
//     from 16 concurrent writers for 10 s, beside plain inserts of the same rows without the chain.
//  2. Export: NDJSON, CSV and OCSF of 1,000,000 events, rows per second and the process's peak
//     memory while streaming (live heap, sampled after a forced collection, and RSS).
//  3. The audit log's server time (listAuditEvents, no HTTP) with 10,000,000 events on PostgreSQL
//     and 1,000,000 on PGlite (an in-memory database holds every row in this process).
import { createHash } from "node:crypto";
import { performance } from "node:perf_hooks";
import { recordAudit } from "../server/audit/record";
import { takeCheckpoint } from "../server/audit-log/checkpoints";
import { listAuditEvents } from "../server/audit-log/events";
import { exportAuditEvents } from "../server/audit-log/export";
import type { UserCaller } from "../server/auth/caller";
import { makeAgent, makeCaller, makeTenant } from "../tests/factories";
import { BACKEND_LABEL, BACKENDS, type BackendKind, type BenchDatabase, openBenchDatabase } from "./lib/databases";
import { type Benchmark, count, measure, ms, progress, type Table } from "./lib/harness";

const WRITERS = 16;
const WRITE_SECONDS = Number(process.env.BENCH_AUDIT_SECONDS ?? 10);
const EXPORT_EVENTS = Number(process.env.BENCH_AUDIT_EXPORT ?? 1_000_000);
const LOG_EVENTS: Record<BackendKind, number> = {
  postgresql: Number(process.env.BENCH_AUDIT_LOG ?? 10_000_000),
  pglite: Number(process.env.BENCH_AUDIT_LOG_PGLITE ?? 1_000_000),
};
const BATCH = 500_000;
const TRILLIAN_TESSERA = "about 300 to 2,000 entries/s on small cloud machines";

const gc = (globalThis as { gc?: () => void }).gc;

/** A decision's event, as the decision path records it. */
function decisionEvent(i: number, tenantId: string, agentId: string) {
  return {
    action: "decision.evaluate",
    outcome: i % 5 === 0 ? ("denied" as const) : ("success" as const),
    actor: { type: "agent" as const, id: agentId, label: "bench-agent" },
    tenantId,
    target: { type: "decision", id: `d-${i}` },
    reason: 'Permitted by policy "CRM reads".',
    data: { decision: "allow", action: "crm.read", resource: { type: "Contact", id: `c-${i}` }, context: { n: i } },
    meta: { requestId: `req-${i}`, ip: "10.0.0.7", userAgent: "mandate-sdk/1.0" },
  };
}

/** The request id seedEvents gives event i: md5(i × 7) written as a UUID, as request ids are. */
function requestIdOf(i: number) {
  const h = createHash("md5")
    .update(String(i * 7))
    .digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

async function sustainedWrites(bench: BenchDatabase, tenantId: string, agentId: string) {
  const db = bench.db.prisma;
  const run = async (write: (i: number) => Promise<unknown>) => {
    let n = 0;
    const until = performance.now() + WRITE_SECONDS * 1000;
    const worker = async () => {
      while (performance.now() < until) await write(n++);
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: WRITERS }, worker));
    return n / ((performance.now() - started) / 1000);
  };
  progress(`${BACKEND_LABEL[bench.kind]}: ${WRITE_SECONDS} s of chained appends, ${WRITERS} writers`);
  const chained = await run((i) => recordAudit(db, decisionEvent(i, tenantId, agentId)));
  progress(`${BACKEND_LABEL[bench.kind]}: ${WRITE_SECONDS} s of plain inserts (no chain), ${WRITERS} writers`);
  const plain = await run((i) => {
    // The same row in one statement as well, without the chain (no head, no hashes).
    const e = decisionEvent(i, tenantId, agentId);
    return db.$executeRaw`
      INSERT INTO audit_events (occurred_at, tenant_id, actor_type, actor_id, actor_label, action, target_type,
                                target_id, outcome, reason, request_id, ip, user_agent, data)
      VALUES (${new Date()}, ${tenantId}::uuid, ${e.actor.type}, ${e.actor.id}, ${e.actor.label}, ${e.action},
              ${e.target.type}, ${e.target.id}, ${e.outcome}, ${e.reason}, ${e.meta.requestId}, ${e.meta.ip},
              ${e.meta.userAgent}, ${JSON.stringify(e.data)}::jsonb)`;
  });
  return { chained, plain };
}

/** Events as the chain holds them, by SQL (hashes are not recomputed: reading and exporting do not check them). */
async function seedEvents(
  bench: BenchDatabase,
  n: number,
  tenants: string[],
  agents: string[],
  users: string[],
  /** The sequence number that lands on "now": times grow with seq, 300 ms apart, as in a real log. */
  lastSeq: number,
) {
  const head = await bench.db.prisma.auditChainHead.findUniqueOrThrow({ where: { id: 1 } });
  const start = Number(head.seq);
  for (let from = 1; from <= n; from += BATCH) {
    const to = Math.min(n, from + BATCH - 1);
    progress(`${BACKEND_LABEL[bench.kind]}: events ${count(start + from)}–${count(start + to)}`);
    await bench.db.sql.query(
      `INSERT INTO audit_events (seq, occurred_at, tenant_id, actor_type, actor_id, actor_label, on_behalf_of, action,
                                 target_type, target_id, outcome, reason, request_id, ip, user_agent, data, prev_hash, hash)
       SELECT $1::bigint + i,
              now() - (($2::bigint - ($1::bigint + i)) * interval '300 milliseconds'),
              ($3::uuid[])[1 + abs(hashint8(i)) % array_length($3::uuid[], 1)],
              CASE WHEN i % 10 < 8 THEN 'agent' WHEN i % 10 = 8 THEN 'user' ELSE 'client' END,
              CASE WHEN i % 10 < 8 THEN (($4::uuid[])[1 + abs(hashint8(i * 3)) % array_length($4::uuid[], 1)])::text
                   ELSE (($5::uuid[])[1 + abs(hashint8(i * 5)) % array_length($5::uuid[], 1)])::text END,
              CASE WHEN i % 10 < 8 THEN 'agent-' || abs(hashint8(i * 3)) % 200 ELSE 'person' || abs(hashint8(i * 5)) % 2000 || '@bench.example' END,
              NULL,
              CASE WHEN i % 10 < 8 THEN 'decision.evaluate' WHEN i % 10 = 8 THEN 'agent.update' ELSE 'oauth.token.issued' END,
              CASE WHEN i % 10 < 8 THEN 'decision' WHEN i % 10 = 8 THEN 'agent' ELSE 'token' END,
              md5(i::text),
              CASE WHEN i % 7 = 0 THEN 'denied' ELSE 'success' END,
              NULL, md5((i * 7)::text)::uuid::text, '10.0.0.' || (i % 250), 'mandate-sdk/1.0',
              jsonb_build_object('decision', 'allow', 'action', 'crm.read', 'context', jsonb_build_object('n', i)),
              md5((i - 1)::text) || md5((i - 1)::text), md5(i::text) || md5(i::text)
         FROM generate_series($6::bigint, $7::bigint) i`,
      [start, lastSeq, tenants, agents, users, from, to],
    );
  }
  await bench.db.sql.query("UPDATE audit_chain_head SET seq = $1 WHERE id = 1", [start + n]);
  await bench.db.sql.exec("ANALYZE audit_events");
}

async function exportRun(caller: UserCaller, format: string) {
  const exp = await exportAuditEvents(caller, { format });
  gc?.();
  const base = process.memoryUsage();
  let peakHeap = base.heapUsed;
  let peakRss = base.rss;
  const sample = setInterval(() => {
    gc?.();
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  }, 250);
  let bytes = 0;
  const started = performance.now();
  const reader = exp.stream.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
    }
  } finally {
    clearInterval(sample);
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    seconds,
    bytes,
    heapGrowth: (peakHeap - base.heapUsed) / 2 ** 20,
    rssGrowth: (peakRss - base.rss) / 2 ** 20,
  };
}

const benchmark: Benchmark = {
  name: "audit",
  title: "Audit store (issue 7)",
  async run() {
    const notes: string[] = [
      `Live heap is sampled every 250 ms after a forced collection (${gc ? "--expose-gc is on" : "--expose-gc is OFF: heap figures include garbage"}).`,
    ];
    const writes: (string | number)[][] = [];
    const exports: (string | number)[][] = [];
    const logTables: Table[] = [];
    // BENCH_AUDIT_BACKENDS=postgresql to re-measure one side only.
    const backends = (process.env.BENCH_AUDIT_BACKENDS?.split(",") as BackendKind[] | undefined) ?? BACKENDS;
    for (const kind of backends) {
      const bench = await openBenchDatabase(kind);
      const label = BACKEND_LABEL[kind];
      try {
        notes.push(`${label}: ${bench.version}`);
        const admin = await makeCaller({ global: "security_admin" });
        const tenants = [await makeTenant(), await makeTenant(), await makeTenant()];
        const owner = await makeCaller({ tenants: { [tenants[0].id]: "tenant_owner" } });
        const agents = [];
        for (let i = 0; i < 20; i++) agents.push(await makeAgent(admin, tenants[i % 3].id, { status: "active" }));
        const users = [admin.id, owner.id];

        const w = await sustainedWrites(bench, tenants[0].id, agents[0].id);
        writes.push([
          label,
          count(Math.round(w.chained)),
          count(Math.round(w.plain)),
          `${Math.round((w.chained / w.plain) * 100)} %`,
        ]);

        // Exports of EXPORT_EVENTS events (the events above and seeded ones up to that many).
        const have = await bench.db.prisma.auditEvent.count();
        await seedEvents(
          bench,
          Math.max(0, EXPORT_EVENTS - have),
          tenants.map((t) => t.id),
          agents.map((a) => a.id),
          users,
          LOG_EVENTS[kind],
        );
        await takeCheckpoint(bench.db.prisma);
        const total = await bench.db.prisma.auditEvent.count({ where: { seq: { not: null } } });
        for (const format of ["ndjson", "csv", "ocsf"]) {
          progress(`${label}: exporting ${count(total)} events as ${format}`);
          const r = await exportRun(admin, format);
          exports.push([
            label,
            format,
            count(total),
            count(Math.round(total / r.seconds)),
            (r.bytes / 2 ** 20).toFixed(0),
            r.heapGrowth.toFixed(1),
            r.rssGrowth.toFixed(0),
          ]);
        }

        // The log at scale.
        const target = LOG_EVENTS[kind];
        const now = await bench.db.prisma.auditEvent.count();
        await seedEvents(
          bench,
          Math.max(0, target - now),
          tenants.map((t) => t.id),
          agents.map((a) => a.id),
          users,
          LOG_EVENTS[kind],
        );
        const size = await bench.db.prisma.auditEvent.count();
        const head = await bench.db.prisma.auditChainHead.findUniqueOrThrow({ where: { id: 1 } });
        const first = await listAuditEvents(admin, {});
        const dayAgo = new Date(Date.now() - 86_400_000);
        const queries: [string, UserCaller, Record<string, string>][] = [
          ["newest first (50)", admin, {}],
          ["next page (cursor)", admin, { cursor: first.nextCursor as string }],
          [
            `page at event ${count(Math.floor(Number(head.seq) / 2))} (cursor)`,
            admin,
            { cursor: `n${Math.floor(Number(head.seq) / 2)}` },
          ],
          ["one tenant (its owner)", owner, {}],
          ["one agent, by or about it", admin, { agent: agents[3].id }],
          ["one actor", admin, { actor: agents[5].id }],
          ["an action (agent.update)", admin, { action: "agent.update" }],
          ["an action family (oauth.*)", admin, { action: "oauth.*" }],
          ["denied outcomes", admin, { outcome: "denied" }],
          [
            "one hour, a day ago",
            admin,
            { from: dayAgo.toISOString(), to: new Date(dayAgo.getTime() + 3_600_000).toISOString() },
          ],
          ["search an email", admin, { q: "person1234@bench" }],
          ["search an agent's name (by or about it)", admin, { q: agents[3].name }],
          ["search a person's name (by or about them)", admin, { q: owner.name }],
          ["search a name nobody has", admin, { q: "expense-reporter-nobody" }],
          ["search a request id", admin, { q: requestIdOf(1) }],
          ["search an agent's id", admin, { q: agents[3].id }],
        ];
        const rows: (string | number)[][] = [];
        for (const [name, caller, input] of queries) {
          progress(`${label}: ${name}`);
          const t = await measure(() => listAuditEvents(caller, input), { warmup: 3, runs: 20 });
          rows.push([
            name,
            t.last.rows.length,
            t.last.totalCapped ? `> ${count(t.last.total)}` : count(t.last.total),
            ms(t.p50),
            ms(t.p95),
          ]);
        }
        logTables.push({
          caption: `Audit log server time on ${label}, ${count(size)} events (3 tenants, 20 agents, 80 % decisions), listAuditEvents: a page of 50 with its capped count; 3 warm-up calls, then 20 timed, ms`,
          head: ["query", "rows", "total", "p50", "p95"],
          rows,
        });
      } finally {
        await bench.close();
      }
    }
    return {
      notes,
      tables: [
        {
          caption: `Sustained audit writes, events/s (${WRITERS} concurrent writers for ${WRITE_SECONDS} s, each event a decision's with its JSON data). Chained: recordAudit, one statement advancing the chain head and appending the event; plain: the same row inserted without the chain. For scale, Trillian Tessera: ${TRILLIAN_TESSERA}`,
          head: ["database", "chained", "plain insert", "chained / plain"],
          rows: writes,
        },
        {
          caption:
            "Export, streamed, oldest first: rows/s, size, and how much the process grew while streaming (live heap after collection, RSS), MB",
          head: ["database", "format", "events", "rows/s", "MB", "heap growth", "RSS growth"],
          textColumns: 2,
          rows: exports,
        },
        ...logTables,
      ],
    };
  },
};

export default benchmark;
