import "server-only";
import { createHash, createPrivateKey, createPublicKey, hkdfSync, type KeyObject, sign, verify } from "node:crypto";
import { checkpointMessage } from "@/lib/audit/chain";
import { env } from "@/lib/env";
import type { Db } from "../db";

// Signed checkpoints of the audit chain's head: the scheduler takes one every ten minutes and
// every export carries the latest, so that a rewrite of the past would have to forge a signature
// made with a key derived from AUTH_SECRET.

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
