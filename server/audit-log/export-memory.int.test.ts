import { describe, expect, it } from "vitest";
import { makeCaller } from "@/tests/factories";
import { testDb } from "@/tests/integration-setup";
import { exportAuditEvents } from "./export";

// An export of a million events streams: the process's memory stays flat while it is read,
// whatever the size. On PostgreSQL only (an in-memory PGlite holds the million rows in this
// process's memory by design, which is not what is measured).

const EVENTS = 1_000_000;

describe.runIf(process.env.MANDATE_TEST_DB === "postgres")("exporting a million events (PostgreSQL)", () => {
  it("streams them with flat memory", async () => {
    const admin = await makeCaller({ global: "security_admin" });
    // A million events as the chain would hold them (hashes are not checked by an export).
    await testDb().sql.query(
      `INSERT INTO audit_events (seq, occurred_at, actor_type, actor_id, actor_label, action, target_type, target_id,
                                 outcome, request_id, ip, data, prev_hash, hash)
       SELECT 1000000 + i, now() - (i * interval '1 second'), 'agent', md5(i::text), 'agent-' || (i % 100),
              'decision.evaluate', 'decision', md5((i + 1)::text), 'success', md5((i + 2)::text), '10.0.0.1',
              jsonb_build_object('decision', 'allow', 'action', 'crm.read', 'context', jsonb_build_object('n', i)),
              md5((i - 1)::text) || md5((i - 1)::text), md5(i::text) || md5(i::text)
         FROM generate_series(1, $1::int) i`,
      [EVENTS],
    );
    await testDb().sql.query("UPDATE audit_chain_head SET seq = $1 WHERE id = 1", [1_000_000 + EVENTS]);

    const exp = await exportAuditEvents(admin, { format: "ndjson", action: "decision.evaluate" });
    // With --expose-gc (vitest.config.ts), samples measure what is live, not garbage awaiting collection.
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const baseline = process.memoryUsage();
    let peakHeap = baseline.heapUsed;
    let peakRss = baseline.rss;
    const sample = setInterval(() => {
      gc?.();
      const m = process.memoryUsage();
      peakHeap = Math.max(peakHeap, m.heapUsed);
      peakRss = Math.max(peakRss, m.rss);
    }, 100);
    let bytes = 0;
    let lines = 0;
    // The heap's high-water mark when a tenth of the export has gone through, and at the end:
    // flat means the second is no higher than the first, give or take garbage not yet collected.
    let peakAtTenth = 0;
    const reader = exp.stream.getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
        for (const b of value) if (b === 10) lines++;
        if (!peakAtTenth && lines >= EVENTS / 10) peakAtTenth = peakHeap;
      }
    } finally {
      clearInterval(sample);
    }
    expect(lines).toBe(EVENTS + 1); // the header, then every event
    const growthMb = (peakHeap - baseline.heapUsed) / 2 ** 20;
    const rssGrowthMb = (peakRss - baseline.rss) / 2 ** 20;
    const tenthMb = (peakAtTenth - baseline.heapUsed) / 2 ** 20;
    console.log(
      `exported ${EVENTS} events, ${(bytes / 2 ** 20).toFixed(0)} MB; heap grew at most ${tenthMb.toFixed(1)} MB over the first tenth, ${growthMb.toFixed(1)} MB over all, RSS ${rssGrowthMb.toFixed(1)} MB`,
    );
    expect(bytes / 2 ** 20).toBeGreaterThan(300);
    // Flat: ten times the data does not raise what is live, and that stays a small fraction of
    // what went through (a buffered export would hold all of it).
    expect(growthMb).toBeLessThan(tenthMb + 16);
    expect(growthMb).toBeLessThan(32);
  }, 300_000);
});
