import "server-only";
import { createHash, createPrivateKey, createPublicKey, hkdfSync, type KeyObject, sign, verify } from "node:crypto";
import { canonicalEvent, checkpointMessage, eventHash, GENESIS_HASH } from "@/lib/audit/chain";
import { env } from "@/lib/env";
import type { Db } from "../db";
import type { AuditEvent } from "../db/generated/client";

// The audit chain's guardians: signed checkpoints of its head, the verifier that walks it and
// names the first broken link, and the one-time chaining of events written before the chain.

const BATCH = 5_000;

interface Keys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The raw public key, base64url: what an auditor checks signatures with. */
  publicKeyRaw: string;
  keyId: string;
}

/** Ed25519, derived from AUTH_SECRET: every instance signs alike, and nobody without it can. */
export function checkpointKeys(secret = env().authSecret): Keys {
  const seed = Buffer.from(hkdfSync("sha256", secret, "mandate", "audit-checkpoint-ed25519", 32));
  const privateKey = createPrivateKey({
    key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]),
    format: "der",
    type: "pkcs8",
  });
  const publicKey = createPublicKey(privateKey);
  const raw = (publicKey.export({ format: "der", type: "spki" }) as Buffer).subarray(-32);
  return {
    privateKey,
    publicKey,
    publicKeyRaw: raw.toString("base64url"),
    keyId: createHash("sha256").update(raw).digest("hex").slice(0, 16),
  };
}

export interface Checkpoint {
  seq: string;
  hash: string;
  at: string;
  keyId: string;
  signature: string;
}

/** Signs the chain's head as it is now (unless the last checkpoint already covers it). */
export async function takeCheckpoint(db: Db): Promise<Checkpoint | null> {
  const head = await db.auditChainHead.findUnique({ where: { id: 1 } });
  if (!head || head.seq === 0n) return null;
  const last = await db.auditCheckpoint.findFirst({ orderBy: { id: "desc" } });
  if (last && last.seq === head.seq) return toCheckpoint(last);
  const keys = checkpointKeys();
  const at = new Date();
  const signature = sign(null, Buffer.from(checkpointMessage(head.seq, head.hash, at.toISOString())), keys.privateKey);
  const row = await db.auditCheckpoint.create({
    data: {
      seq: head.seq,
      hash: head.hash,
      createdAt: at,
      keyId: keys.keyId,
      signature: signature.toString("base64url"),
    },
  });
  return toCheckpoint(row);
}

/** A checkpoint row as exports and the API show it. */
export function toCheckpoint(row: {
  seq: bigint;
  hash: string;
  createdAt: Date;
  keyId: string;
  signature: string;
}): Checkpoint {
  return {
    seq: row.seq.toString(),
    hash: row.hash,
    at: row.createdAt.toISOString(),
    keyId: row.keyId,
    signature: row.signature,
  };
}

export function checkpointValid(cp: Checkpoint, publicKey: KeyObject): boolean {
  return verify(
    null,
    Buffer.from(checkpointMessage(cp.seq, cp.hash, cp.at)),
    publicKey,
    Buffer.from(cp.signature, "base64url"),
  );
}

type EventRow = AuditEvent;

/** The event as the chain covers it, from its row. */
export function chainedFields(row: EventRow) {
  return canonicalEvent({
    occurred_at: row.occurredAt.toISOString(),
    tenant_id: row.tenantId,
    actor_type: row.actorType,
    actor_id: row.actorId,
    actor_label: row.actorLabel,
    on_behalf_of: row.onBehalfOf,
    action: row.action,
    target_type: row.targetType,
    target_id: row.targetId,
    outcome: row.outcome,
    reason: row.reason,
    request_id: row.requestId,
    ip: row.ip,
    user_agent: row.userAgent,
    data: row.data ?? null,
  });
}

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
    })) as EventRow[];
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

/**
 * Gives events written before the chain existed their place in it, in the order they were
 * written (once: the database refuses any other change to an event). Run at start-up.
 */
export async function chainUnchainedEvents(db: Db & { $transaction: unknown }): Promise<number> {
  let done = 0;
  const client = db as unknown as {
    $transaction<T>(fn: (tx: Db) => Promise<T>, options?: { timeout?: number }): Promise<T>;
  };
  for (;;) {
    const n = await client.$transaction(
      async (tx) => {
        const head = (
          await tx.$queryRaw<{ seq: bigint; hash: string }[]>`
          SELECT seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE`
        )[0];
        const rows = (await tx.auditEvent.findMany({
          where: { seq: null },
          orderBy: { id: "asc" },
          take: 1_000,
        })) as EventRow[];
        let { seq, hash } = head;
        let prev = hash;
        for (const row of rows) {
          seq += 1n;
          const next = eventHash(hash, seq, chainedFields(row));
          await tx.auditEvent.update({ where: { id: row.id }, data: { seq, prevHash: hash, hash: next } });
          prev = hash;
          hash = next;
        }
        if (rows.length) {
          await tx.$executeRaw`UPDATE audit_chain_head SET seq = ${seq}, prev_hash = ${prev}, hash = ${hash} WHERE id = 1`;
        }
        return rows.length;
      },
      { timeout: 120_000 },
    );
    done += n;
    if (n < 1_000) return done;
  }
}
