import { verify } from "node:crypto";
import { CHAINED_FIELDS, canonicalEvent, checkpointMessage, eventHash, publicKeyFromRaw } from "./chain";

// Offline verification of an NDJSON audit export (scripts/audit-verify.ts --file): every event's
// hash recomputed from its fields, the link between consecutive events, and the signed checkpoint
// the export was cut at. Needs nothing but the file (and, to trust the key, the installation's
// public key from GET /api/v1/audit/verify).

interface ExportHeader {
  checkpoint: { seq: string; hash: string; at: string; keyId: string; signature: string } | null;
  public_key: string;
}

export interface ExportVerification {
  ok: boolean;
  events: number;
  /** Consecutive pairs whose link was checked (a filtered export has gaps). */
  links: number;
  checkpoint: "valid" | "invalid" | "absent";
  keyId: string | null;
  broken?: { line: number; seq: string | null; problem: string };
}

export async function verifyExport(lines: AsyncIterable<string>, trustedKey?: string): Promise<ExportVerification> {
  let header: ExportHeader | null = null;
  let line = 0;
  let events = 0;
  let links = 0;
  let previous: { seq: bigint; hash: string } | null = null;
  let last: { seq: string; hash: string } | null = null;
  const fail = (problem: string, seq: string | null = null): ExportVerification => ({
    ok: false,
    events,
    links,
    checkpoint: "absent",
    keyId: header?.checkpoint?.keyId ?? null,
    broken: { line, seq, problem },
  });
  for await (const text of lines) {
    line++;
    if (!text.trim()) continue;
    const value = JSON.parse(text) as Record<string, unknown>;
    if (line === 1) {
      header = (value.mandate_audit_export as ExportHeader | undefined) ?? null;
      if (!header) return fail("the first line is not a Mandate audit export header");
      continue;
    }
    const { seq, prev_hash, hash } = value as Record<string, string | null>;
    if (!seq || !hash || prev_hash === null || prev_hash === undefined) return fail("the event is not chained", seq);
    // The chain covers the recorded fields; names an export adds beside the ids are not recorded.
    const fields = Object.fromEntries(CHAINED_FIELDS.filter((f) => f in value).map((f) => [f, value[f]]));
    const computed = eventHash(prev_hash, seq, canonicalEvent(fields as never));
    if (computed !== hash) return fail("its contents do not match its hash", seq);
    if (previous && previous.seq + 1n === BigInt(seq)) {
      links++;
      if (previous.hash !== prev_hash)
        return fail("its previous-event hash is not the hash of the event before it", seq);
    }
    previous = { seq: BigInt(seq), hash };
    last = { seq, hash };
    events++;
  }
  if (!header) return fail("the file is empty");
  let checkpoint: ExportVerification["checkpoint"] = "absent";
  const cp = header.checkpoint;
  if (cp) {
    const key = trustedKey ?? header.public_key;
    const signed = verify(
      null,
      Buffer.from(checkpointMessage(cp.seq, cp.hash, cp.at)),
      publicKeyFromRaw(key),
      Buffer.from(cp.signature, "base64url"),
    );
    const consistent = !last || last.seq !== cp.seq || last.hash === cp.hash;
    checkpoint = signed && consistent ? "valid" : "invalid";
    if (checkpoint === "invalid") {
      return {
        ...fail(
          signed ? "the last event does not match the signed checkpoint" : "the checkpoint's signature is not valid",
          cp.seq,
        ),
        checkpoint,
      };
    }
  }
  return { ok: true, events, links, checkpoint, keyId: cp?.keyId ?? null };
}
