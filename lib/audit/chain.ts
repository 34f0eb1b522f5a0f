import { createHash, createPublicKey, type KeyObject } from "node:crypto";

// The audit hash chain's arithmetic, shared by the writer (server/audit/record.ts, which has the
// database compute the same hash in the statement that appends the event), the verifier, and the
// offline check of an export (scripts/audit-verify.ts). Change nothing here without a new chain.

/** The hash before the first event. */
export const GENESIS_HASH = "0".repeat(64);

/** An event as the chain covers it: every recorded field but its id and its chain fields. */
export interface ChainedEvent {
  occurred_at: string;
  tenant_id: string | null;
  actor_type: string;
  actor_id: string | null;
  actor_label: string | null;
  on_behalf_of: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: string;
  reason: string | null;
  request_id: string | null;
  ip: string | null;
  user_agent: string | null;
  data: unknown;
}

/** The fields of ChainedEvent, for readers that pick them out of a wider record (an export's line). */
export const CHAINED_FIELDS = [
  "occurred_at",
  "tenant_id",
  "actor_type",
  "actor_id",
  "actor_label",
  "on_behalf_of",
  "action",
  "target_type",
  "target_id",
  "outcome",
  "reason",
  "request_id",
  "ip",
  "user_agent",
  "data",
] as const satisfies readonly (keyof ChainedEvent)[];
// Every field of ChainedEvent is listed: a compile error otherwise.
type Unlisted = Exclude<keyof ChainedEvent, (typeof CHAINED_FIELDS)[number]>;
export const CHAINED_FIELDS_COMPLETE: [Unlisted] extends [never] ? true : never = true;

/** JSON with object keys sorted at every depth, no whitespace; undefined members dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function canonicalEvent(event: ChainedEvent): string {
  return canonicalJson(event);
}

/** sha256(prev_hash "\n" seq "\n" canonical event), hex. */
export function eventHash(prevHash: string, seq: bigint | number | string, canonical: string): string {
  return createHash("sha256").update(`${prevHash}\n${seq}\n${canonical}`, "utf8").digest("hex");
}

/** The text a checkpoint's signature covers. */
export function checkpointMessage(seq: bigint | number | string, hash: string, at: string): string {
  return `mandate-audit-checkpoint\n${seq}\n${hash}\n${at}`;
}

/** An Ed25519 public key from its raw form, base64url (how checkpoints' key is published). */
export function publicKeyFromRaw(raw: string): KeyObject {
  return createPublicKey({
    key: Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), Buffer.from(raw, "base64url")]),
    format: "der",
    type: "spki",
  });
}
