import "server-only";
import { createHash } from "node:crypto";
import { mkdir, open } from "node:fs/promises";
import path from "node:path";
import { env } from "@/lib/env";
import { ConflictError, ValidationError } from "@/lib/errors";
import { recordAudit } from "../audit/record";
import { actorOf } from "../auth/actor";
import { assertCanGlobally } from "../auth/authorize";
import type { Caller } from "../auth/caller";
import { prisma } from "../db";
import { toCheckpoint } from "./checkpoints";
import { exportedEvent, exportHeaderLine } from "./export";
import { verifyChain } from "./verify";

// Retention: old events leave the database only as a whole segment of the chain, from the end of
// the last archived segment to a signed checkpoint, written first to an NDJSON file (the export
// format, with the checkpoint and the public key, verifiable offline), never edited. The database
// lets those rows go only inside the transaction that records the segment (audit_segments) and
// names it; the chain then starts from the segment's last hash, and the archiving is an event.

const BATCH = 5_000;

export interface ArchivedSegment {
  fromSeq: string;
  toSeq: string;
  events: number;
  file: string;
  fileSha256: string;
}

/** Archives every event up to the last signed checkpoint taken before `before` (security admins). */
export async function archiveAuditSegment(caller: Caller, input: { before: Date }): Promise<ArchivedSegment> {
  assertCanGlobally(caller, "settings.write");
  if (!(input.before instanceof Date) || Number.isNaN(input.before.getTime())) {
    throw new ValidationError({ before: ["Give a date."] });
  }
  const db = await prisma();
  const last = await db.auditSegment.findFirst({ orderBy: { toSeq: "desc" } });
  const fromSeq = (last?.toSeq ?? 0n) + 1n;
  const checkpoint = await db.auditCheckpoint.findFirst({
    where: { createdAt: { lt: input.before }, seq: { gte: fromSeq } },
    orderBy: { seq: "desc" },
  });
  if (!checkpoint) throw new ConflictError("No signed checkpoint before that date ends a segment that is still here.");
  // A broken chain is not archived: it is evidence, kept where it can be examined.
  const verified = await verifyChain(db);
  if (verified.broken && BigInt(verified.broken.seq) <= checkpoint.seq) {
    throw new ConflictError(`The chain is broken at event ${verified.broken.seq}: it is not archived.`);
  }

  const dir = path.join(env().dataDir, "audit-archive");
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `segment-${fromSeq}-${checkpoint.seq}.ndjson`);
  const handle = await open(file, "wx");
  const hash = createHash("sha256");
  let events = 0;
  let lastHash = "";
  try {
    const write = async (line: string) => {
      hash.update(line);
      await handle.write(line);
    };
    await write(
      exportHeaderLine(toCheckpoint(checkpoint), {
        segment: { from_seq: fromSeq.toString(), to_seq: checkpoint.seq.toString() },
      }),
    );
    let after = fromSeq - 1n;
    for (;;) {
      const rows = await db.auditEvent.findMany({
        where: { seq: { gt: after, lte: checkpoint.seq } },
        orderBy: { seq: "asc" },
        take: BATCH,
      });
      let chunk = "";
      for (const row of rows) chunk += `${JSON.stringify(exportedEvent(row))}\n`;
      if (chunk) await write(chunk);
      events += rows.length;
      if (rows.length) {
        after = rows[rows.length - 1].seq as bigint;
        lastHash = rows[rows.length - 1].hash as string;
      }
      if (rows.length < BATCH) break;
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (lastHash !== checkpoint.hash) throw new ConflictError("The segment does not end at its checkpoint's hash.");
  const fileSha256 = hash.digest("hex");

  await db.$transaction(
    async (tx) => {
      await tx.auditSegment.create({
        data: {
          fromSeq,
          toSeq: checkpoint.seq,
          lastHash,
          checkpointId: checkpoint.id,
          events: BigInt(events),
          fileSha256,
          archivedBy: actorOf(caller).label,
        },
      });
      await tx.$queryRaw`SELECT set_config('mandate.audit_archive_through', ${checkpoint.seq.toString()}, true)`;
      await tx.$executeRaw`DELETE FROM audit_events WHERE seq BETWEEN ${fromSeq} AND ${checkpoint.seq}`;
      await recordAudit(tx, {
        action: "audit.archive",
        outcome: "success",
        actor: actorOf(caller),
        target: { type: "audit_segment", id: `${fromSeq}-${checkpoint.seq}` },
        data: { from_seq: fromSeq.toString(), to_seq: checkpoint.seq.toString(), events, file_sha256: fileSha256 },
      });
    },
    { timeout: 600_000 },
  );
  return { fromSeq: fromSeq.toString(), toSeq: checkpoint.seq.toString(), events, file, fileSha256 };
}
