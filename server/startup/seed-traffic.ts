import "server-only";
import { DAY_MS, HOUR_MS } from "@/lib/anomalies/detect";
import { seededRandom } from "@/lib/seeded-random";
import type { Db } from "../db";

// The demo world's recorded traffic: eight days of hourly activity for a few agents (a working-day
// rhythm with noise), kept as the rollups the charts and detection read, with four realistic
// anomalies in it and, for the anomalous hours, the decision events behind them in the audit
// store (chained at start-up like any event written before the chain runs).

type Agent = { slug: string; name: string; peak: number };
const AGENTS: Agent[] = [
  { slug: "acme", name: "support-triage", peak: 90 },
  { slug: "acme", name: "crm-sync", peak: 60 },
  { slug: "acme", name: "invoice-bot", peak: 25 },
  { slug: "acme", name: "calendar-scheduler", peak: 40 },
  { slug: "acme", name: "onboarding-guide", peak: 12 },
  { slug: "globex", name: "ticket-router", peak: 70 },
  { slug: "initech", name: "tps-report-bot", peak: 20 },
];

/** What happens in the anomalous hours, by agent: hours back from the current hour. */
const INCIDENTS: Record<
  string,
  { hoursAgo: number; decisions?: number; denials?: number; outOfScope?: number; ip?: string }
> = {
  // A payments agent busy in the middle of the night.
  "invoice-bot": { hoursAgo: 20, decisions: 640 },
  // A CRM agent denied over and over (policy change or probing).
  "crm-sync": { hoursAgo: 30, decisions: 260, denials: 180 },
  // A support agent trying actions outside its scopes, from a new address.
  "support-triage": { hoursAgo: 5, outOfScope: 14, ip: "198.51.100.77" },
  // onboarding-guide's owner left 20 days ago (seed-agents.ts); its tokens are still used.
  "onboarding-guide": { hoursAgo: 2 },
};

export async function seedTraffic(db: Db, tenants: Record<string, string>, now = Date.now()) {
  const current = Math.floor(now / HOUR_MS) * HOUR_MS;
  const rnd = seededRandom(42);
  for (const spec of AGENTS) {
    const agent = await db.agent.findUniqueOrThrow({
      where: { tenantId_name: { tenantId: tenants[spec.slug], name: spec.name } },
      select: { id: true, tenantId: true },
    });
    const incident = INCIDENTS[spec.name];
    const hourly: {
      start: number;
      decisions: number;
      tokens: number;
      denials: number;
      outOfScope: number;
      ips: number;
    }[] = [];
    for (let hour = current - 8 * DAY_MS; hour <= current; hour += HOUR_MS) {
      const h = new Date(hour).getUTCHours();
      const level = h >= 8 && h < 18 ? spec.peak * (h >= 9 && h < 12 ? 1.4 : 1) : spec.peak * 0.05;
      let decisions = Math.round(level * (0.8 + 0.4 * rnd()));
      let denials = Math.round(decisions * 0.02 * rnd() * 2);
      let outOfScope = 0;
      if (incident && hour === current - incident.hoursAgo * HOUR_MS) {
        decisions = incident.decisions ?? Math.max(decisions, 10);
        denials = incident.denials ?? denials;
        outOfScope = incident.outOfScope ?? 0;
        // The events behind the anomaly, in the audit store (a sample of each kind).
        const sample = Math.min(decisions, 40);
        await db.$executeRaw`
          INSERT INTO audit_events (occurred_at, tenant_id, actor_type, actor_id, actor_label, action, target_type,
                                    target_id, outcome, reason, ip, user_agent, data)
          SELECT to_timestamp(${hour}::double precision / 1000) + (i * interval '1 minute'), ${agent.tenantId}::uuid,
                 'agent', ${agent.id}, ${spec.name}, 'decision.evaluate', 'decision', md5(${spec.name} || i::text),
                 CASE WHEN i < ${outOfScope + Math.round((denials / decisions) * sample)} THEN 'denied' ELSE 'success' END,
                 CASE WHEN i < ${outOfScope} THEN 'The token does not carry this action''s scope.'
                      WHEN i < ${outOfScope + Math.round((denials / decisions) * sample)} THEN 'No policy permits this.'
                      ELSE 'Permitted.' END,
                 ${incident.ip ?? "10.20.0.5"}, 'mandate-sdk/0.1',
                 jsonb_build_object(
                   'decision', CASE WHEN i < ${outOfScope + Math.round((denials / decisions) * sample)} THEN 'deny' ELSE 'allow' END,
                   'code', CASE WHEN i < ${outOfScope} THEN 'action_not_in_scopes' ELSE 'permitted' END,
                   'action', CASE WHEN i < ${outOfScope} THEN 'payments.create' ELSE 'tickets.write' END,
                   'resource', jsonb_build_object('type', 'Ticket', 'id', 'T-' || (1000 + i)))
            FROM generate_series(0, ${sample - 1}::int) i`;
      }
      hourly.push({ start: hour, decisions, tokens: Math.ceil(decisions / 25), denials, outOfScope, ips: 1 });
    }
    await db.activityRollup.createMany({
      data: hourly.map((b) => ({
        granularity: 60,
        agentId: agent.id,
        tenantId: agent.tenantId,
        bucketStart: new Date(b.start),
        tokensIssued: b.tokens,
        decisions: b.decisions,
        denials: b.denials,
        outOfScope: b.outOfScope,
        distinctResources: Math.min(b.decisions, 40),
        distinctIps: b.ips,
      })),
    });
    const days = new Map<number, typeof hourly>();
    for (const b of hourly) {
      const day = Math.floor(b.start / DAY_MS) * DAY_MS;
      days.set(day, [...(days.get(day) ?? []), b]);
    }
    await db.activityRollup.createMany({
      data: [...days].map(([day, list]) => ({
        granularity: 1440,
        agentId: agent.id,
        tenantId: agent.tenantId,
        bucketStart: new Date(day),
        tokensIssued: list.reduce((s, b) => s + b.tokens, 0),
        decisions: list.reduce((s, b) => s + b.decisions, 0),
        denials: list.reduce((s, b) => s + b.denials, 0),
        outOfScope: list.reduce((s, b) => s + b.outOfScope, 0),
        distinctResources: 40,
        distinctIps: 1,
      })),
    });
    // The addresses it has been seen from: its usual one for a week, and the incident's.
    await db.agentSourceIp.create({
      data: {
        agentId: agent.id,
        ip: "10.20.0.5",
        firstSeen: new Date(current - 8 * DAY_MS),
        lastSeen: new Date(current),
      },
    });
    if (incident?.ip) {
      const at = new Date(current - incident.hoursAgo * HOUR_MS);
      await db.agentSourceIp.create({ data: { agentId: agent.id, ip: incident.ip, firstSeen: at, lastSeen: at } });
    }
  }
}
