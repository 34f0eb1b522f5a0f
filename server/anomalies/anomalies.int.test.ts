import { describe, expect, it } from "vitest";
import { DAY_MS, HOUR_MS } from "@/lib/anomalies/detect";
import { prisma } from "@/server/db";
import { makeAgent, makeCaller, makeTenant } from "@/tests/factories";
import { testDb } from "@/tests/integration-setup";
import {
  acknowledgeAnomaly,
  containAnomaly,
  detectAnomalies,
  dismissAnomaly,
  listAnomalies,
  setAutoContainment,
} from "./anomalies";
import { rollUpActivity } from "./rollup";

// Generated traffic (a working-day rhythm over eight days, as decision events in the audit store)
// with one injected spike: rolled up and run through detection, it produces exactly that anomaly;
// containing it suspends the agent.

/** `count` decision events of the agent in the hour starting at `hour`. */
async function traffic(agentId: string, tenantId: string, hour: number, count: number, ip = "10.0.0.1") {
  if (!count) return;
  await testDb().sql.query(
    `INSERT INTO audit_events (occurred_at, tenant_id, actor_type, actor_id, actor_label, action, target_type, target_id,
                               outcome, ip, data)
     SELECT to_timestamp($1::double precision / 1000) + (i * (interval '1 hour' / $2::int)), $3::uuid, 'agent', $4,
            'bench-agent', 'decision.evaluate', 'decision', md5(random()::text), 'success', $5,
            jsonb_build_object('decision', 'allow', 'code', 'permitted', 'resource', jsonb_build_object('type', 'Contact', 'id', 'c-' || (i % 7)))
       FROM generate_series(0, $2::int - 1) i`,
    [hour, count, tenantId, agentId, ip],
  );
}

describe("anomalies from the audit store", () => {
  it("finds exactly the injected spike, and containing it suspends the agent", async () => {
    const admin = await makeCaller({ global: "security_admin" });
    const tenant = await makeTenant();
    const owner = await makeCaller({ tenants: { [tenant.id]: "tenant_owner" } });
    const member = await makeCaller({ tenants: { [tenant.id]: "member" } });
    const agent = await makeAgent(admin, tenant.id, { status: "active" });
    const now = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
    const start = now - 8 * DAY_MS;
    const spike = Math.floor((now - DAY_MS) / DAY_MS) * DAY_MS + 3 * HOUR_MS; // yesterday, 03:00 UTC
    for (let hour = start; hour < now; hour += HOUR_MS) {
      const h = new Date(hour).getUTCHours();
      const usual = h >= 9 && h < 17 ? 30 + ((hour / HOUR_MS) % 5) : 2;
      await traffic(agent.id, tenant.id, hour, hour === spike ? 400 : usual);
    }
    const db = await prisma();
    await rollUpActivity(db, { from: new Date(start), to: new Date(now) });
    const hourly = await db.activityRollup.findUniqueOrThrow({
      where: { granularity_agentId_bucketStart: { granularity: 60, agentId: agent.id, bucketStart: new Date(spike) } },
    });
    expect(hourly).toMatchObject({ decisions: 400, denials: 0, distinctResources: 7, distinctIps: 1 });
    expect(await db.activityRollup.count({ where: { granularity: 1440, agentId: agent.id } })).toBeGreaterThanOrEqual(
      8,
    );

    const n = await detectAnomalies(db, { from: new Date(now - 7 * DAY_MS), to: new Date(now) });
    expect(n).toBe(1);
    const [found] = await listAnomalies(owner, { tenant: tenant.id });
    expect(found).toMatchObject({
      kind: "volume_spike",
      severity: "high",
      observed: 400,
      expected: 2,
      agent: { id: agent.id },
      auditQuery: { agent: agent.id, from: new Date(spike).toISOString() },
    });
    expect(found.windowStart.getTime()).toBe(spike);
    // Running again finds nothing new.
    expect(await detectAnomalies(db, { from: new Date(now - 7 * DAY_MS), to: new Date(now) })).toBe(0);

    // Members do not see or act on anomalies; owners contain in one click.
    expect(await listAnomalies(member, {})).toEqual([]);
    await expect(containAnomaly(member, found.id, { action: "suspend", reason: "member tries" })).rejects.toMatchObject(
      {
        status: 404,
      },
    );
    await expect(containAnomaly(owner, found.id, { action: "quarantine", reason: "x" })).rejects.toMatchObject({
      status: 400,
    });
    expect(await containAnomaly(owner, found.id, { action: "suspend", reason: "spike at 3 a.m." })).toEqual({
      status: "contained",
    });
    expect((await db.agent.findUniqueOrThrow({ where: { id: agent.id } })).status).toBe("SUSPENDED");
    expect(await listAnomalies(owner, { tenant: tenant.id, status: "contained" })).toHaveLength(1);
    await expect(dismissAnomaly(owner, found.id, { reason: "too late" })).rejects.toMatchObject({ status: 409 });
    const events = await db.auditEvent.findMany({ where: { targetId: found.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["anomaly.contained"]);
  });

  it("flags a new source address and use after the owner left; acknowledge and dismiss with a reason", async () => {
    const admin = await makeCaller({ global: "security_admin" });
    const tenant = await makeTenant();
    const leaver = await makeCaller({ tenants: { [tenant.id]: "member" } });
    const agent = await makeAgent(admin, tenant.id, { status: "active", owner: leaver.id });
    // A brand-new agent, first seen three hours ago, has no usual addresses: its second is no news.
    const newcomer = await makeAgent(admin, tenant.id, { status: "active" });
    const now = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
    await traffic(agent.id, tenant.id, now - 2 * DAY_MS, 5, "10.0.0.1");
    await traffic(agent.id, tenant.id, now - HOUR_MS, 5, "203.0.113.66");
    await traffic(newcomer.id, tenant.id, now - 3 * HOUR_MS, 5, "10.0.0.1");
    await traffic(newcomer.id, tenant.id, now - HOUR_MS, 5, "198.51.100.7");
    const db = await prisma();
    await db.user.update({ where: { id: leaver.id }, data: { deactivatedAt: new Date(now - 2 * HOUR_MS) } });
    await rollUpActivity(db, { from: new Date(now - 2 * DAY_MS), to: new Date(now) });
    await detectAnomalies(db, { from: new Date(now - 4 * HOUR_MS), to: new Date(now) });
    expect(await listAnomalies(admin, { agent: newcomer.id, status: "all" })).toEqual([]);
    const found = await listAnomalies(admin, { agent: agent.id });
    expect(found.map((a) => [a.kind, a.severity, a.windowStart.getTime()]).sort()).toEqual(
      [
        ["new_source_ip", "medium", now - HOUR_MS],
        // One a day for a leaver's agent, whatever the hours.
        ["owner_departed", "high", Math.floor((now - HOUR_MS) / DAY_MS) * DAY_MS],
      ].sort(),
    );
    const ip = found.find((a) => a.kind === "new_source_ip")?.id as string;
    const gone = found.find((a) => a.kind === "owner_departed")?.id as string;
    expect(await acknowledgeAnomaly(admin, ip, { reason: "checking with the team" })).toEqual({
      status: "acknowledged",
    });
    expect(await dismissAnomaly(admin, ip, { reason: "new office network" })).toEqual({ status: "dismissed" });
    await expect(dismissAnomaly(admin, gone, {})).rejects.toMatchObject({ status: 400 });
    expect(await listAnomalies(admin, { agent: agent.id })).toHaveLength(1);
  });

  it("suspends the agent at once on a high-severity anomaly when the tenant's rule is on", async () => {
    const admin = await makeCaller({ global: "security_admin" });
    const tenant = await makeTenant();
    const owner = await makeCaller({ tenants: { [tenant.id]: "tenant_owner" } });
    const member = await makeCaller({ tenants: { [tenant.id]: "member" } });
    await expect(setAutoContainment(member, tenant.id, { enabled: true })).rejects.toMatchObject({ status: 403 });
    await expect(setAutoContainment(owner, tenant.id, { enabled: "yes" })).rejects.toMatchObject({ status: 400 });
    expect(await setAutoContainment(owner, tenant.id, { enabled: true })).toEqual({ enabled: true });
    const agent = await makeAgent(admin, tenant.id, { status: "active" });
    const now = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
    for (let d = 7; d >= 1; d--) await traffic(agent.id, tenant.id, now - d * DAY_MS - HOUR_MS, 3);
    await traffic(agent.id, tenant.id, now - HOUR_MS, 500);
    const db = await prisma();
    await rollUpActivity(db, { from: new Date(now - 8 * DAY_MS), to: new Date(now) });
    await detectAnomalies(db, { from: new Date(now - HOUR_MS), to: new Date(now) });
    const [found] = await listAnomalies(owner, { agent: agent.id, status: "all" });
    expect(found).toMatchObject({
      kind: "volume_spike",
      severity: "high",
      status: "contained",
      resolvedBy: "automatic containment rule",
    });
    expect((await db.agent.findUniqueOrThrow({ where: { id: agent.id } })).status).toBe("SUSPENDED");
    const history = await db.agentStatusChange.findFirstOrThrow({
      where: { agentId: agent.id, toStatus: "SUSPENDED" },
    });
    expect(history.actorLabel).toBe("automatic containment rule");
  });

  it("acts on a group of one agent's repeated anomalies at once, all or none", async () => {
    const admin = await makeCaller({ global: "security_admin" });
    const tenant = await makeTenant();
    const other = await makeTenant();
    const owner = await makeCaller({ tenants: { [tenant.id]: "tenant_owner" } });
    const agent = await makeAgent(admin, tenant.id, { status: "active" });
    const second = await makeAgent(admin, tenant.id, { status: "active" });
    const outsider = await makeAgent(admin, other.id, { status: "active" });
    const db = await prisma();
    const day = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    const left = async (a: { id: string; tenantId: string }, daysAgo: number) =>
      (
        await db.anomaly.create({
          data: {
            agentId: a.id,
            tenantId: a.tenantId,
            kind: "owner_departed",
            severity: "HIGH",
            windowStart: new Date(day - daysAgo * DAY_MS),
            windowEnd: new Date(day - (daysAgo - 1) * DAY_MS),
            observed: 3,
            expected: 0,
            score: 0,
            detail: "Tokens used after the owner left.",
          },
        })
      ).id;
    const group = [await left(agent, 0), await left(agent, 1), await left(agent, 2)];
    const foreign = await left(outsider, 0);
    const another = await left(second, 0);

    // One the caller cannot reach refuses the whole group, and nothing changes.
    await expect(acknowledgeAnomaly(owner, [...group, foreign], { reason: "looking" })).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      containAnomaly(owner, [group[0], another], { action: "suspend", reason: "x y z" }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(dismissAnomaly(owner, [], { reason: "nothing" })).rejects.toMatchObject({ status: 400 });
    expect(await listAnomalies(owner, { agent: agent.id })).toHaveLength(3);
    expect((await db.agent.findUniqueOrThrow({ where: { id: second.id } })).status).toBe("ACTIVE");

    expect(await acknowledgeAnomaly(owner, group, { reason: "asking HR who owns it now" })).toEqual({
      status: "acknowledged",
    });
    expect(await listAnomalies(owner, { agent: agent.id, status: "acknowledged" })).toHaveLength(3);
    expect(await containAnomaly(owner, group, { action: "suspend", reason: "no owner: stop it" })).toEqual({
      status: "contained",
    });
    expect((await db.agent.findUniqueOrThrow({ where: { id: agent.id } })).status).toBe("SUSPENDED");
    expect(await listAnomalies(owner, { agent: agent.id, status: "contained" })).toHaveLength(3);
    const events = await db.auditEvent.findMany({ where: { targetId: { in: group } } });
    expect(events.map((e) => e.action).sort()).toEqual([
      ...Array(3).fill("anomaly.acknowledged"),
      ...Array(3).fill("anomaly.contained"),
    ]);
    // The other tenant's anomaly was never touched.
    expect((await db.anomaly.findUniqueOrThrow({ where: { id: foreign } })).status).toBe("OPEN");
  });
});
