import "server-only";
import { eventHash, GENESIS_HASH } from "@/lib/audit/chain";
import { chainedFields } from "../audit/chain";
import type { Db } from "../db";
import type { AuditEvent } from "../db/generated/client";
import { checkpointKeys, checkpointValid, toCheckpoint } from "./checkpoints";

// The verifier: walks the chain and names its first broken link.

const BATCH = 5_000;

export interface VerifyResult {
  ok: boolean;
  /** Events checked, from `from` (the first after any archived segment) to the head. */
  events: number;
  from: string;
  head: { seq: string; hash: string };
  checkpoints: { checked: number; valid: number };
  /** The first broken link, if any. */
  broken?: { seq: string; eventId: string | null; problem: string };
  unchained: number;
}

/**
 * Walks the chain from its start (or the end of the last archived segment) to its head,
 * recomputing every event's hash from its fields, and checks every checkpoint's signature and
 * hash. Names the first broken link: a changed event, a missing one, a reordered one.
 */
export async function verifyChain(db: Db, onProgress?: (events: number) => void): Promise<VerifyResult> {
  const segment = await db.auditSegment.findFirst({ orderBy: { toSeq: "desc" } });
  let prev = segment?.lastHash ?? GENESIS_HASH;
  let expected = (segment?.toSeq ?? 0n) + 1n;
  const from = expected.toString();
  const head = await db.auditChainHead.findUniqueOrThrow({ where: { id: 1 } });
  const hashAt = new Map<bigint, string>();
  const checkpoints = await db.auditCheckpoint.findMany({ where: { seq: { gte: expected } }, orderBy: { seq: "asc" } });
  for (const cp of checkpoints) hashAt.set(cp.seq, "");
  let events = 0;
  let broken: VerifyResult["broken"];
  for (;;) {
    const rows = (await db.auditEvent.findMany({
      where: { seq: { gte: expected } },
      orderBy: { seq: "asc" },
      take: BATCH,
    })) as AuditEvent[];
    for (const row of rows) {
      const seq = row.seq as bigint;
      if (seq !== expected) {
        broken = { seq: expected.toString(), eventId: null, problem: `event ${expected} is missing` };
        break;
      }
      if (row.prevHash !== prev) {
        broken = {
          seq: seq.toString(),
          eventId: row.id.toString(),
          problem: "its previous-event hash is not the hash of the event before it",
        };
        break;
      }
      if (eventHash(prev, seq, chainedFields(row)) !== row.hash) {
        broken = { seq: seq.toString(), eventId: row.id.toString(), problem: "its contents do not match its hash" };
        break;
      }
      if (hashAt.has(seq)) hashAt.set(seq, row.hash);
      prev = row.hash;
      expected = seq + 1n;
      events++;
    }
    onProgress?.(events);
    if (broken || rows.length < BATCH) break;
  }
  const last = expected - 1n;
  if (!broken && head.seq > last) {
    broken = { seq: (last + 1n).toString(), eventId: null, problem: `event ${last + 1n} is missing` };
  } else if (!broken && (head.seq !== last || head.hash !== prev)) {
    broken = { seq: head.seq.toString(), eventId: null, problem: "the chain's head does not match its last event" };
  }
  const keys = checkpointKeys();
  let valid = 0;
  for (const cp of checkpoints) {
    const c = toCheckpoint(cp);
    const signed = cp.keyId === keys.keyId && checkpointValid(c, keys.publicKey);
    const matches = hashAt.get(cp.seq) === cp.hash;
    if (signed && matches) valid++;
    else if (!broken) {
      broken = {
        seq: c.seq,
        eventId: null,
        problem: signed
          ? "a signed checkpoint's hash does not match the event"
          : "a checkpoint's signature is not valid",
      };
    }
  }
  const unchained = await db.auditEvent.count({ where: { seq: null } });
  return {
    ok: !broken && unchained === 0,
    events,
    from,
    head: { seq: head.seq.toString(), hash: head.hash },
    checkpoints: { checked: checkpoints.length, valid },
    ...(broken ? { broken } : {}),
    unchained,
  };
}
