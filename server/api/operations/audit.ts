import "server-only";
import { auditExportSchema, auditListSchema } from "@/lib/schemas/audit";
import { getAuditEvent, listAuditEvents, verifyAuditLog } from "../../audit-log/events";
import { exportAuditEvents, exportResponse } from "../../audit-log/export";
import { defineOperations } from "../operation";
import { cursorPage } from "../pages";

// The audit log: read, export, verify.

export const auditOperations = defineOperations({
  listAuditEvents: {
    method: "GET",
    path: "/audit/events",
    tag: "Audit",
    summary: "Audit events you can read, newest first, with the chain's hashes; paged by cursor",
    description:
      "Filters: tenant, from, to (ISO 8601), actor, actor_type, agent (by or about it), action (or a family: grant.* is every event that changed grants), outcome, q (an id, matched exactly when it is one: a UUID, an automation client's client id, a grant's id; else part of the name of agents, people and automation clients, finding the events by and about them, or of an actor's label). Each event carries the names of its actor, target and the person acted for beside their ids. Pass next_cursor back as `cursor`. `total` is exact up to 10,000.",
    query: auditListSchema,
    run: async ({ caller, query }) => cursorPage(await listAuditEvents(caller, query)),
  },
  getAuditEvent: {
    method: "GET",
    path: "/audit/events/{id}",
    tag: "Audit",
    summary: "One audit event",
    run: ({ caller, params }) => getAuditEvent(caller, params.id),
  },
  exportAudit: {
    method: "GET",
    path: "/audit/export",
    tag: "Audit",
    summary: "Stream the events matching the filters as csv, ndjson or ocsf (auditors and security admins); audited",
    description:
      "Oldest first, up to the chain's head signed when the export starts (the X-Mandate-Audit-Checkpoint header; in NDJSON also the first line, with the public key). Each event carries seq, prev_hash and hash.",
    query: auditExportSchema,
    run: async ({ caller, query }) => exportResponse(await exportAuditEvents(caller, query)),
  },
  verifyAudit: {
    method: "GET",
    path: "/audit/verify",
    tag: "Audit",
    summary: "Verify the whole audit chain and its signed checkpoints; names the first broken link",
    run: ({ caller }) => verifyAuditLog(caller),
  },
});
