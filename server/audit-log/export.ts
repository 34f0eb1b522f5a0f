import "server-only";
import { type AuditFormat, auditExportSchema } from "@/lib/schemas/audit";
import { parseInput } from "@/lib/validation";
import { recordAudit } from "../audit/record";
import { actorOf } from "../auth/actor";
import type { Caller } from "../auth/caller";
import { prisma } from "../db";
import type { Prisma } from "../db/generated/client";
import { tenantForInput } from "../tenants/resolve-tenant";
import { type Checkpoint, checkpointKeys, takeCheckpoint } from "./checkpoints";
import { auditWhere } from "./events";
import { EventNamer, type EventNames } from "./names";

// Exports for auditors: CSV, NDJSON or OCSF-shaped JSON of the events matching the filters, up to
// the chain's head signed at the start of the export, streamed a batch at a time (memory stays
// flat whatever the size). Every event carries its sequence number and the chain's hashes; the
// NDJSON's first line carries the signed checkpoint and the public key, so that an auditor can
// verify an export offline (`npm run audit:verify -- --file export.ndjson`). Beside the ids, each
// event carries the names of its tenant (slug), actor, the person acted for and target, as they
// are at export time (looked up per batch, names.ts): they are not part of the chain.

const BATCH = 1_000;

const CONTENT_TYPE: Record<AuditFormat, string> = {
  csv: "text/csv; charset=utf-8",
  ndjson: "application/x-ndjson",
  ocsf: "application/json",
};
const EXTENSION: Record<AuditFormat, string> = { csv: "csv", ndjson: "ndjson", ocsf: "ocsf.json" };

type EventRecord = Prisma.AuditEventGetPayload<object>;

/**
 * An event as exports carry it (snake_case, every field the chain covers, and the chain's); with
 * names, the names of its tenant (slug), actor, the person acted for and target beside their ids.
 * Archived segments carry no names: they are the chain as recorded.
 */
export function exportedEvent(e: EventRecord, names?: EventNames) {
  return {
    id: e.id.toString(),
    seq: e.seq?.toString() ?? null,
    occurred_at: e.occurredAt.toISOString(),
    tenant_id: e.tenantId,
    ...(names ? { tenant_slug: names.tenant?.slug ?? null } : {}),
    actor_type: e.actorType,
    actor_id: e.actorId,
    actor_label: e.actorLabel,
    ...(names ? { actor_name: names.actor } : {}),
    on_behalf_of: e.onBehalfOf,
    ...(names ? { on_behalf_of_name: names.onBehalfOf } : {}),
    action: e.action,
    target_type: e.targetType,
    target_id: e.targetId,
    ...(names ? { target_name: names.target } : {}),
    outcome: e.outcome,
    reason: e.reason,
    request_id: e.requestId,
    ip: e.ip,
    user_agent: e.userAgent,
    data: e.data ?? null,
    prev_hash: e.prevHash,
    hash: e.hash,
  };
}
type Exported = ReturnType<typeof exportedEvent>;
const NO_NAMES: EventNames = { tenant: null, actor: null, onBehalfOf: null, target: null };
const COLUMNS = Object.keys(
  exportedEvent({ id: 0n, occurredAt: new Date(0) } as EventRecord, NO_NAMES),
) as (keyof Exported)[];

/** A CSV cell: quoted when needed; a leading = + - @ is defused so that spreadsheets do not run it. */
function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let s = typeof value === "string" ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const OCSF_VERSION = "1.3.0";

/** The event as an OCSF record: Authentication (3002) for sign-ins, API Activity (6003) for the rest. */
export function ocsfEvent(e: Exported) {
  const signIn = e.action === "auth.sign_in" || e.action === "auth.sign_out";
  const verb = e.action.split(".").at(-1) ?? "";
  const activity = signIn
    ? e.action === "auth.sign_in"
      ? 1
      : 2
    : /create|issued|add|grant|assign/.test(verb)
      ? 1
      : /evaluate|read/.test(verb)
        ? 2
        : /update|renew|restore|approve|activate|resume/.test(verb)
          ? 3
          : /delete|revoke|remove|withdraw|kill|retire|deactivate/.test(verb)
            ? 4
            : 99;
  const classUid = signIn ? 3002 : 6003;
  const failed = e.outcome !== "success";
  return {
    class_uid: classUid,
    category_uid: signIn ? 3 : 6,
    activity_id: activity,
    type_uid: classUid * 100 + activity,
    time: Date.parse(e.occurred_at),
    severity_id: failed ? 3 : 1,
    status: failed ? "Failure" : "Success",
    status_id: failed ? 2 : 1,
    status_detail: e.outcome,
    message: e.reason ?? e.action,
    actor: {
      user: { uid: e.actor_id, name: e.actor_name ?? e.actor_label, type: e.actor_type },
      ...(e.on_behalf_of ? { invoked_by: e.on_behalf_of } : {}),
    },
    api: { operation: e.action, service: { name: "Mandate" } },
    src_endpoint: { ip: e.ip },
    http_request: { user_agent: e.user_agent },
    resources: e.target_type ? [{ type: e.target_type, uid: e.target_id, name: e.target_name }] : [],
    metadata: {
      uid: e.id,
      sequence: e.seq === null ? null : Number(e.seq),
      correlation_uid: e.request_id,
      log_name: "mandate-audit",
      product: { name: "Mandate", vendor_name: "Mandate" },
      tenant_uid: e.tenant_id,
      version: OCSF_VERSION,
    },
    unmapped: {
      tenant_id: e.tenant_id,
      tenant_slug: e.tenant_slug,
      actor_label: e.actor_label,
      on_behalf_of: e.on_behalf_of,
      on_behalf_of_name: e.on_behalf_of_name,
      outcome: e.outcome,
      data: e.data,
      seq: e.seq,
      prev_hash: e.prev_hash,
      hash: e.hash,
    },
  };
}

/**
 * The first line of an NDJSON export (and of an archived segment): the signed checkpoint it was
 * cut at, the key to check it with, and how the hashes are made.
 */
export function exportHeaderLine(checkpoint: Checkpoint | null, fields: Record<string, unknown>): string {
  return `${JSON.stringify({
    mandate_audit_export: {
      version: 1,
      ...fields,
      checkpoint,
      public_key: checkpointKeys().publicKeyRaw,
      hash: "sha256(prev_hash + '\\n' + seq + '\\n' + canonical JSON of the event's recorded fields: all but id, seq, the hashes and the names looked up at export)",
    },
  })}\n`;
}

export interface AuditExport {
  stream: ReadableStream<Uint8Array>;
  contentType: string;
  filename: string;
  checkpoint: Checkpoint | null;
}

/**
 * Starts an export: checks the caller may export (auditors and security admins), signs the
 * chain's head, records the export (who, format, filters) and returns the stream of events up to
 * that head, oldest first.
 */
export async function exportAuditEvents(caller: Caller, input: unknown): Promise<AuditExport> {
  const { format, ...filter } = parseInput(auditExportSchema, input ?? {});
  const db = await prisma();
  const { where, scope } = await auditWhere(db, caller, filter, "audit.export");
  const namer = new EventNamer(db, scope);
  const checkpoint = await takeCheckpoint(db);
  const upTo = BigInt(checkpoint?.seq ?? "0");
  const filters = Object.fromEntries(
    Object.entries(filter).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]),
  );
  await recordAudit(db, {
    action: "audit.export",
    outcome: "success",
    actor: actorOf(caller),
    tenantId: filter.tenant ? (await tenantForInput(db, caller, filter.tenant, "audit.export")).id : null,
    target: { type: "audit_log", id: checkpoint?.seq ?? "0" },
    data: { format, filters, up_to_seq: checkpoint?.seq ?? "0" } as Prisma.InputJsonValue,
  });

  const encoder = new TextEncoder();
  let after = 0n;
  let started = false;
  let first = true;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        if (format === "ndjson") {
          controller.enqueue(
            encoder.encode(exportHeaderLine(checkpoint, { exported_at: new Date().toISOString(), filters })),
          );
        } else if (format === "csv") {
          controller.enqueue(encoder.encode(`${COLUMNS.join(",")}\n`));
        } else {
          controller.enqueue(encoder.encode("[\n"));
        }
        return;
      }
      const rows = await db.auditEvent.findMany({
        where: { AND: [where, { seq: { gt: after, lte: upTo } }] },
        orderBy: { seq: "asc" },
        take: BATCH,
      });
      await namer.load(rows);
      let chunk = "";
      for (const row of rows) {
        const e = exportedEvent(row, namer.namesOf(row));
        if (format === "ndjson") chunk += `${JSON.stringify(e)}\n`;
        else if (format === "csv") chunk += `${COLUMNS.map((c) => csvCell(e[c])).join(",")}\n`;
        else {
          chunk += `${first ? "" : ",\n"}${JSON.stringify(ocsfEvent(e))}`;
          first = false;
        }
      }
      if (rows.length) {
        after = rows[rows.length - 1].seq as bigint;
        controller.enqueue(encoder.encode(chunk));
      }
      if (rows.length < BATCH) {
        if (format === "ocsf") controller.enqueue(encoder.encode("\n]\n"));
        controller.close();
      }
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  return {
    stream,
    contentType: CONTENT_TYPE[format],
    filename: `mandate-audit-${day}.${EXTENSION[format]}`,
    checkpoint,
  };
}

/** The export as an HTTP answer (the admin API's and the console's). */
export function exportResponse(exp: AuditExport): Response {
  return new Response(exp.stream, {
    headers: {
      "content-type": exp.contentType,
      "content-disposition": `attachment; filename="${exp.filename}"`,
      "cache-control": "no-store",
      ...(exp.checkpoint ? { "x-mandate-audit-checkpoint": JSON.stringify(exp.checkpoint) } : {}),
    },
  });
}
