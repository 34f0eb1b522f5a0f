import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { verifyExport } from "@/lib/audit/verify-export";
import { reloadEnv } from "@/lib/env";
import { prisma } from "@/server/db";
import { makeCaller } from "@/tests/factories";
import { testDb } from "@/tests/integration-setup";
import { recordAudit } from "../audit/record";
import { archiveAuditSegment } from "./archive";
import { takeCheckpoint } from "./checkpoints";
import { verifyChain } from "./verify";

// Retention: old events leave only as a whole signed segment, written to a file first; the chain
// goes on from the segment's last hash, and the database refuses any other removal.

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "mandate-archive-"));
  vi.stubEnv("DATA_DIR", dir);
  reloadEnv();
});
afterAll(() => {
  vi.unstubAllEnvs();
  reloadEnv();
  rmSync(dir, { recursive: true, force: true });
});

const ping = async (label: string) =>
  recordAudit(await prisma(), { action: "test.retention", outcome: "success", actor: { type: "system", label } });

describe("archiving a segment of the audit chain", () => {
  it("moves events up to a signed checkpoint to a verifiable file, and the chain goes on from there", async () => {
    const admin = await makeCaller({ global: "security_admin" });
    const owner = await makeCaller({ tenants: {} });
    const db = await prisma();
    for (let i = 0; i < 5; i++) await ping(`old ${i}`);
    const cp = await takeCheckpoint(db);
    for (let i = 0; i < 3; i++) await ping(`new ${i}`);
    const before = await db.auditEvent.count();

    await expect(archiveAuditSegment(owner, { before: new Date() })).rejects.toMatchObject({ status: 403 });
    const segment = await archiveAuditSegment(admin, { before: new Date(Date.now() + 1000) });
    expect(segment).toMatchObject({ fromSeq: "1", toSeq: cp?.seq });
    // The archived events are gone; the archive itself is an event.
    expect(await db.auditEvent.count()).toBe(before - segment.events + 1);
    expect(await db.auditEvent.findFirst({ where: { seq: { lte: BigInt(segment.toSeq) } } })).toBeNull();
    const archived = await db.auditEvent.findFirstOrThrow({ where: { action: "audit.archive" } });
    expect(archived.data).toMatchObject({ to_seq: segment.toSeq, file_sha256: segment.fileSha256 });

    // The file verifies offline, ends at the checkpoint, and is what the database recorded.
    const text = readFileSync(segment.file, "utf8");
    expect(createHash("sha256").update(text).digest("hex")).toBe(segment.fileSha256);
    const lines = async function* () {
      yield* text.trimEnd().split("\n");
    };
    expect(await verifyExport(lines())).toMatchObject({ ok: true, events: segment.events, checkpoint: "valid" });
    // What stays verifies from the segment's last hash.
    expect(await verifyChain(db)).toMatchObject({ ok: true, from: String(BigInt(segment.toSeq) + 1n) });
  });

  it("refuses any other removal, even naming a segment", async () => {
    const db = await prisma();
    const segment = await db.auditSegment.findFirstOrThrow();
    const later = await db.auditEvent.findFirstOrThrow({ where: { seq: { gt: segment.toSeq } } });
    // Rows after the segment's end, with the segment named: refused.
    await expect(
      testDb().sql.exec(
        `BEGIN; SELECT set_config('mandate.audit_archive_through', '${later.seq}', true); DELETE FROM audit_events WHERE id = ${later.id}; COMMIT;`,
      ),
    ).rejects.toThrow(/append-only/);
    await testDb()
      .sql.exec("ROLLBACK")
      .catch(() => {});
    // A segment's records cannot be edited away either.
    await expect(db.auditSegment.deleteMany()).rejects.toThrow(/append-only/);
    expect(await verifyChain(db)).toMatchObject({ ok: true });
  });
});
