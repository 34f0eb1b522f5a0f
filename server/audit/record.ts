import "server-only";
import type { Db } from "../db";
import type { Prisma } from "../db/generated/client";

export type ActorType = "user" | "agent" | "client" | "system" | "anonymous";
export type Outcome = "success" | "failure" | "denied";

export interface RequestMeta {
  requestId?: string;
  ip?: string;
  userAgent?: string;
}

export interface AuditInput {
  action: string;
  outcome: Outcome;
  actor: { type: ActorType; id?: string | null; label?: string | null };
  tenantId?: string | null;
  target?: { type: string; id?: string | null };
  reason?: string | null;
  data?: Prisma.InputJsonValue;
  meta?: RequestMeta;
}

/** Writes one audit event. Pass the transaction that makes the change, so both commit together. */
export async function recordAudit(db: Db, input: AuditInput): Promise<void> {
  await db.auditEvent.create({
    data: {
      action: input.action,
      outcome: input.outcome,
      actorType: input.actor.type,
      actorId: input.actor.id ?? null,
      actorLabel: input.actor.label ?? null,
      tenantId: input.tenantId ?? null,
      targetType: input.target?.type ?? null,
      targetId: input.target?.id ?? null,
      reason: input.reason ?? null,
      data: input.data,
      requestId: input.meta?.requestId ?? null,
      ip: input.meta?.ip ?? null,
      userAgent: input.meta?.userAgent?.slice(0, 512) ?? null,
    },
  });
}
