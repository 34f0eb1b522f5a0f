import { describe, expect, it } from "vitest";
import { HOUR_MS } from "@/lib/anomalies/detect";
import { NotFoundError } from "@/lib/errors";
import { rollUpActivity } from "@/server/anomalies/rollup";
import { prisma } from "@/server/db";
import { makeAgent, makeCaller, makeDelegation, makeTenant, unique } from "@/tests/factories";
import { testDb } from "@/tests/integration-setup";
import { getHeadline } from "./headline";

// The Overview's headline numbers, from traffic written to the audit store and rolled up as the
// server does every minute: the right counts in the right windows, with the caller's permissions,
// and another tenant's activity never counted.

/** `allow` and `deny` decision events of the agent, spread over the minute starting at `at`. */
async function decisions(agent: { id: string; tenantId: string }, at: number, allow: number, deny = 0) {
  await testDb().sql.query(
    `INSERT INTO audit_events (occurred_at, tenant_id, actor_type, actor_id, actor_label, action, target_type, target_id,
                               outcome, ip, data)
     SELECT to_timestamp($1::double precision / 1000) + i * interval '100 milliseconds', $2::uuid, 'agent', $3,
            'headline-agent', 'decision.evaluate', 'decision', md5(random()::text),
            CASE WHEN i < $5 THEN 'denied' ELSE 'success' END, '10.0.0.1',
            jsonb_build_object('decision', CASE WHEN i < $5 THEN 'deny' ELSE 'allow' END, 'code', 'permitted')
       FROM generate_series(0, $4::int - 1) i`,
    [at, agent.tenantId, agent.id, allow + deny, deny],
  );
}

async function token(agent: { id: string; tenantId: string }, opts: { expiresIn?: number; revoked?: boolean } = {}) {
  const db = await prisma();
  await db.token.create({
    data: {
      hash: unique("hash"),
      kind: "CLIENT_CREDENTIALS",
      clientId: agent.id,
      agentId: agent.id,
      tenantId: agent.tenantId,
      expiresAt: new Date(Date.now() + (opts.expiresIn ?? 600_000)),
      revokedAt: opts.revoked ? new Date() : null,
      payload: {},
    },
  });
}

async function approval(agent: { id: string; tenantId: string }, status: "PENDING" | "APPROVED", expiresIn = 600_000) {
  const db = await prisma();
  await db.approvalRequest.create({
    data: {
      tenantId: agent.tenantId,
      agentId: agent.id,
      action: "payments.create",
      resource: { type: "Payment", id: unique("p") },
      context: {},
      requestHash: unique("h"),
      status,
      reason: "needs a person",
      decisionId: crypto.randomUUID(),
      expiresAt: new Date(Date.now() + expiresIn),
    },
  });
}

async function anomaly(
  agent: { id: string; tenantId: string },
  severity: "LOW" | "MEDIUM" | "HIGH",
  status: "OPEN" | "ACKNOWLEDGED" | "DISMISSED" | "CONTAINED",
  hoursAgo: number,
) {
  const db = await prisma();
  const start = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - hoursAgo * HOUR_MS;
  await db.anomaly.create({
    data: {
      agentId: agent.id,
      tenantId: agent.tenantId,
      kind: "volume_spike",
      severity,
      status,
      windowStart: new Date(start),
      windowEnd: new Date(start + HOUR_MS),
      observed: 100,
      expected: 3,
      score: 9,
      detail: "a spike",
    },
  });
}

describe("the Overview's headline", () => {
  it("counts the tenant's agents, tokens, decisions, approvals and anomalies, and nothing of another tenant", async () => {
    const admin = await makeCaller({ global: "security_admin" });
    const acme = await makeTenant();
    const other = await makeTenant();
    const owner = await makeCaller({ tenants: { [acme.id]: "tenant_owner" } });
    const auditor = await makeCaller({ tenants: { [acme.id]: "auditor" } });
    const member = await makeCaller({ tenants: { [acme.id]: "member" } });
    const accountable = await makeCaller({ tenants: { [acme.id]: "member" } });
    const stranger = await makeCaller({ tenants: { [other.id]: "tenant_owner" } });

    const busy = await makeAgent(admin, acme.id, { status: "active" });
    const quiet = await makeAgent(admin, acme.id, { status: "active", owner: accountable.id });
    const stopped = await makeAgent(admin, acme.id, { status: "suspended" });
    await makeAgent(admin, acme.id, { status: "pending" });
    const elsewhere = await makeAgent(admin, other.id, { status: "active" });

    const now = new Date();
    const hour = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
    const lastFrom = hour - 23 * HOUR_MS;
    // The last 24 h: the current hour so far, the first hour of the window, and one between.
    await decisions(busy, hour, 10, 2);
    await decisions(busy, lastFrom, 20, 1);
    await decisions(quiet, hour - 5 * HOUR_MS, 7);
    // The 24 h before: its last and first hours; and before that, nothing that counts.
    await decisions(busy, lastFrom - HOUR_MS, 16, 4);
    await decisions(quiet, lastFrom - 24 * HOUR_MS, 4);
    await decisions(busy, lastFrom - 25 * HOUR_MS, 500, 500);
    // Another tenant's traffic in both windows.
    await decisions(elsewhere, hour - HOUR_MS, 900, 300);
    await decisions(elsewhere, lastFrom - 2 * HOUR_MS, 900, 300);
    await rollUpActivity(await prisma(), {
      from: new Date(lastFrom - 26 * HOUR_MS),
      to: new Date(now.getTime() + 60_000),
    });

    await token(busy);
    await token(busy);
    await token(quiet);
    await token(busy, { expiresIn: -HOUR_MS }); // expired well before `now`, however slow the setup
    await token(busy, { revoked: true });
    await token(stopped);
    await token(elsewhere);
    await makeDelegation({ agent: quiet, userId: member.id, scopes: [], publicUrl: "http://localhost" });

    await approval(busy, "PENDING");
    await approval(quiet, "PENDING");
    await approval(busy, "PENDING", -HOUR_MS); // expired: not waiting any more
    await approval(busy, "APPROVED");
    await approval(elsewhere, "PENDING");

    await anomaly(busy, "HIGH", "OPEN", 1);
    await anomaly(busy, "HIGH", "OPEN", 2);
    await anomaly(quiet, "MEDIUM", "ACKNOWLEDGED", 3);
    await anomaly(quiet, "LOW", "DISMISSED", 4);
    await anomaly(stopped, "LOW", "CONTAINED", 5);
    await anomaly(elsewhere, "HIGH", "OPEN", 1);

    const expected = {
      activeAgents: 2,
      // Two of the busy agent's, one of the quiet one's, and the member's delegated one.
      liveTokens: 4,
      decisions: { current: 40, previous: 24, delta: 16, percent: 67, trend: "up" },
      denials: { current: 3, previous: 4, delta: -1, percent: -25, trend: "down" },
      pendingApprovals: 2,
      anomalies: { high: 2, medium: 1, low: 0 },
    };
    for (const caller of [admin, owner, auditor]) {
      const headline = await getHeadline(caller, acme.id, now);
      expect(headline).toMatchObject(expected);
      expect(headline.yourGrants).toBeUndefined();
      expect(headline.windows.last.from.getTime()).toBe(lastFrom);
    }

    // Members see their own: their grants here; approvals only for the agents they are accountable for.
    const mine = await getHeadline(member, acme.id, now);
    expect(mine).toEqual({ windows: mine.windows, yourGrants: 1 });
    const accountableView = await getHeadline(accountable, acme.id, now);
    expect(accountableView).toEqual({ windows: accountableView.windows, yourGrants: 0, pendingApprovals: 1 });

    // The other tenant counts only its own, and its owner cannot ask about Acme.
    expect(await getHeadline(stranger, other.id, now)).toMatchObject({
      activeAgents: 1,
      liveTokens: 1,
      decisions: { current: 1200, previous: 1200 },
      denials: { current: 300, previous: 300 },
      pendingApprovals: 1,
      anomalies: { high: 1, medium: 0, low: 0 },
    });
    await expect(getHeadline(stranger, acme.id, now)).rejects.toBeInstanceOf(NotFoundError);
  });
});
