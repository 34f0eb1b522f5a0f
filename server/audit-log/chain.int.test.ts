import { describe, expect, it } from "vitest";
import { GENESIS_HASH } from "@/lib/audit/chain";
import { prisma } from "@/server/db";
import { makeAgent, makeCaller, makeTenant } from "@/tests/factories";
import { testDb } from "@/tests/integration-setup";
import { chainUnchainedEvents } from "../audit/chain";
import { recordAudit } from "../audit/record";
import { checkpointKeys, takeCheckpoint } from "./checkpoints";
import { verifyChain } from "./verify";

// The audit store's tamper evidence: the chain as written by the real domain functions, the
// database's refusal to change it, and the verifier naming the exact event that was changed
// behind the database's back (its trigger disabled, as a DBA could).

const sql = () => testDb().sql;

describe("the audit chain", () => {
  it("chains every event the domain writes, and verifies from the first to the head", async () => {
    const admin = await makeCaller({ global: "security_admin" });
    const tenant = await makeTenant();
    await makeAgent(admin, tenant.id, { status: "active" });
    const db = await prisma();
    const events = await db.auditEvent.findMany({ orderBy: { seq: "asc" } });
    expect(events.length).toBeGreaterThan(3);
    expect(events[0]).toMatchObject({ seq: 1n, prevHash: GENESIS_HASH });
    events.forEach((e, i) => {
      expect(e.seq).toBe(BigInt(i + 1));
      if (i > 0) expect(e.prevHash).toBe(events[i - 1].hash);
    });
    const result = await verifyChain(db);
    expect(result).toMatchObject({ ok: true, events: events.length, unchained: 0 });
    expect(result.head).toEqual({ seq: String(events.length), hash: events[events.length - 1].hash });
  });

  it("is append-only: the database refuses to change, delete or truncate events", async () => {
    const db = await prisma();
    const one = await db.auditEvent.findFirstOrThrow();
    await expect(db.auditEvent.update({ where: { id: one.id }, data: { reason: "edited" } })).rejects.toThrow(
      /append-only/,
    );
    await expect(db.auditEvent.delete({ where: { id: one.id } })).rejects.toThrow(/append-only/);
    await expect(sql().exec("TRUNCATE audit_events")).rejects.toThrow(/append-only/);
    await expect(sql().exec("DELETE FROM audit_checkpoints")).rejects.toThrow(/append-only/);
    // Giving an already chained event another place in the chain is a change too.
    await expect(sql().query("UPDATE audit_events SET seq = seq + 1000 WHERE id = $1", [one.id])).rejects.toThrow(
      /append-only/,
    );
    expect((await verifyChain(db)).ok).toBe(true);
  });

  it("signs checkpoints of the head that the verifier checks", async () => {
    const db = await prisma();
    const cp = await takeCheckpoint(db);
    expect(cp).toMatchObject({ keyId: checkpointKeys().keyId, signature: expect.any(String) });
    // Nothing new since: the same checkpoint, not another.
    expect(await takeCheckpoint(db)).toEqual(cp);
    await recordAudit(db, { action: "test.ping", outcome: "success", actor: { type: "system", label: "test" } });
    await takeCheckpoint(db);
    expect((await verifyChain(db)).checkpoints).toEqual({ checked: 2, valid: 2 });
  });

  it("chains events written before the chain existed, once, in the order they were written", async () => {
    const db = await prisma();
    await sql().query(
      `INSERT INTO audit_events (occurred_at, actor_type, action, outcome, data) VALUES
        (now(), 'system', 'legacy.one', 'success', '{"b": 2, "a": [1, {"z": null}]}'), (now(), 'system', 'legacy.two', 'success', NULL)`,
    );
    expect(await verifyChain(db)).toMatchObject({ ok: false, unchained: 2 });
    expect(await chainUnchainedEvents(db)).toBe(2);
    expect(await verifyChain(db)).toMatchObject({ ok: true, unchained: 0 });
    const two = await db.auditEvent.findFirstOrThrow({ where: { action: "legacy.two" } });
    // Chained once: its place in the chain cannot be changed afterwards.
    await expect(sql().query("UPDATE audit_events SET hash = 'x' WHERE id = $1", [two.id])).rejects.toThrow(
      /append-only/,
    );
  });

  it("names the exact event changed behind the database's back, and a missing one", async () => {
    const db = await prisma();
    for (let i = 0; i < 5; i++) {
      await recordAudit(db, { action: "test.tamper", outcome: "success", actor: { type: "system", label: `n${i}` } });
    }
    const victim = await db.auditEvent.findFirstOrThrow({ where: { action: "test.tamper", actorLabel: "n2" } });
    await sql().exec("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only");
    await sql().query("UPDATE audit_events SET reason = 'nothing to see here' WHERE id = $1", [victim.id]);
    await sql().exec("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only");
    expect((await verifyChain(db)).broken).toEqual({
      seq: String(victim.seq),
      eventId: String(victim.id),
      problem: "its contents do not match its hash",
    });

    // Rewriting the event's own hash to match does not help: the next event's link breaks.
    await sql().exec("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only");
    const { eventHash } = await import("@/lib/audit/chain");
    const { chainedFields } = await import("../audit/chain");
    const changed = await db.auditEvent.findUniqueOrThrow({ where: { id: victim.id } });
    await sql().query("UPDATE audit_events SET hash = $1 WHERE id = $2", [
      eventHash(changed.prevHash as string, changed.seq as bigint, chainedFields(changed)),
      victim.id,
    ]);
    const after = await db.auditEvent.findFirstOrThrow({ where: { seq: (victim.seq as bigint) + 1n } });
    expect((await verifyChain(db)).broken).toEqual({
      seq: String(after.seq),
      eventId: String(after.id),
      problem: "its previous-event hash is not the hash of the event before it",
    });
    // A deleted event is a gap.
    const gone = await db.auditEvent.findFirstOrThrow({ where: { action: "test.tamper", actorLabel: "n0" } });
    await sql().query("DELETE FROM audit_events WHERE id = $1", [gone.id]);
    await sql().exec("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only");
    expect((await verifyChain(db)).broken).toEqual({
      seq: String(gone.seq),
      eventId: null,
      problem: `event ${gone.seq} is missing`,
    });
  });
});

describe.runIf(process.env.MANDATE_TEST_DB === "postgres")("concurrent writers (PostgreSQL)", () => {
  it("keeps the chain gapless and valid with many transactions writing at once", async () => {
    const db = await prisma();
    const before = (await db.auditChainHead.findUniqueOrThrow({ where: { id: 1 } })).seq;
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        db.$transaction(async (tx) => {
          await recordAudit(tx, {
            action: "test.concurrent",
            outcome: "success",
            actor: { type: "system", label: `w${i}` },
          });
        }),
      ),
    );
    const head = await db.auditChainHead.findUniqueOrThrow({ where: { id: 1 } });
    expect(head.seq - before).toBe(40n);
    expect(await db.auditEvent.count({ where: { action: "test.concurrent" } })).toBe(40);
  });
});
