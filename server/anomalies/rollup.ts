import "server-only";
import type { Db } from "../db";

// Agents' activity, rolled up from the audit store into 5-minute, hourly and daily buckets, and
// the source addresses each agent has been seen from. Each run recomputes the buckets from the
// last one it wrote (that one may have been partial) to now, straight from the events in that
// range (the occurred_at index), so runs are idempotent and charts never read raw events.

export const GRANULARITIES = [5, 60, 1440] as const;

const TOKEN_ACTIONS = ["oauth.token.issued", "oauth.refresh_token.issued"];

/** Recomputes the buckets of every granularity from `from` (or where the last run stopped) to `to`. */
export async function rollUpActivity(db: Db, opts: { from?: Date; to?: Date } = {}): Promise<void> {
  const to = opts.to ?? new Date();
  for (const minutes of GRANULARITIES) {
    const seconds = minutes * 60;
    let from = opts.from;
    if (!from) {
      const last = await db.activityRollup.findFirst({
        where: { granularity: minutes },
        orderBy: { bucketStart: "desc" },
        select: { bucketStart: true },
      });
      const first = last
        ? null
        : await db.auditEvent.findFirst({
            where: { actorType: "agent" },
            orderBy: { occurredAt: "asc" },
            select: { occurredAt: true },
          });
      from = last?.bucketStart ?? first?.occurredAt ?? to;
    }
    const start = new Date(Math.floor(from.getTime() / (seconds * 1000)) * seconds * 1000);
    await db.$executeRaw`
      INSERT INTO activity_rollups (granularity, agent_id, bucket_start, tenant_id, tokens_issued, decisions, denials,
                                    out_of_scope, distinct_resources, distinct_ips)
      SELECT ${minutes}::int, e.actor_id::uuid,
             to_timestamp(floor(extract(epoch FROM e.occurred_at) / ${seconds}) * ${seconds}),
             max(e.tenant_id::text)::uuid,
             count(*) FILTER (WHERE e.action = ANY(${TOKEN_ACTIONS})),
             count(*) FILTER (WHERE e.action = 'decision.evaluate'),
             count(*) FILTER (WHERE e.action = 'decision.evaluate' AND e.data->>'decision' = 'deny'),
             count(*) FILTER (WHERE e.action = 'decision.evaluate' AND e.data->>'code' = 'action_not_in_scopes'),
             count(DISTINCT (e.data->'resource'->>'type') || ':' || (e.data->'resource'->>'id'))
               FILTER (WHERE e.action = 'decision.evaluate'),
             count(DISTINCT e.ip)
        FROM audit_events e
       WHERE e.actor_type = 'agent' AND e.occurred_at >= ${start} AND e.occurred_at < ${to}
         AND e.actor_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
       GROUP BY 2, 3
      ON CONFLICT (granularity, agent_id, bucket_start) DO UPDATE SET
        tenant_id = excluded.tenant_id, tokens_issued = excluded.tokens_issued, decisions = excluded.decisions,
        denials = excluded.denials, out_of_scope = excluded.out_of_scope,
        distinct_resources = excluded.distinct_resources, distinct_ips = excluded.distinct_ips`;
    if (minutes === 60) {
      await db.$executeRaw`
        INSERT INTO agent_source_ips (agent_id, ip, first_seen, last_seen)
        SELECT e.actor_id::uuid, e.ip, min(e.occurred_at), max(e.occurred_at)
          FROM audit_events e
         WHERE e.actor_type = 'agent' AND e.ip IS NOT NULL AND e.occurred_at >= ${start} AND e.occurred_at < ${to}
           AND e.actor_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
         GROUP BY 1, 2
        ON CONFLICT (agent_id, ip) DO UPDATE SET
          first_seen = least(agent_source_ips.first_seen, excluded.first_seen),
          last_seen = greatest(agent_source_ips.last_seen, excluded.last_seen)`;
    }
  }
}
