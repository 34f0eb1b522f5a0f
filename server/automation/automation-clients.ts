import "server-only";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { type AutomationRole, createAutomationClientSchema } from "@/lib/schemas/automation";
import { reasonBodySchema } from "@/lib/schemas/reason";
import { isUuid, parseInput } from "@/lib/validation";
import { generateClientSecret, hashSecret } from "../agents/secrets";
import { recordAudit } from "../audit/record";
import { actorOf } from "../auth/actor";
import { assertCanGlobally } from "../auth/authorize";
import type { Caller } from "../auth/caller";
import { type Db, isUniqueViolation, prisma } from "../db";
import type { GlobalRole, TenantRole } from "../db/generated/client";
import { tenantForInput } from "../tenants/resolve-tenant";

// Automation clients call the admin API (CI jobs, scripts) with tokens of their own, under one
// role. Only security admins manage them: a client can hold a role in any tenant.

const ROLE_TO_DB: Record<AutomationRole, { global?: GlobalRole; tenant?: TenantRole }> = {
  security_admin: { global: "SECURITY_ADMIN" },
  auditor: { global: "AUDITOR" },
  tenant_owner: { tenant: "OWNER" },
  tenant_auditor: { tenant: "AUDITOR" },
  member: { tenant: "MEMBER" },
};

export function automationRoleOf(row: {
  globalRole: GlobalRole | null;
  tenantRole: TenantRole | null;
}): AutomationRole {
  if (row.globalRole === "SECURITY_ADMIN") return "security_admin";
  if (row.globalRole === "AUDITOR") return "auditor";
  if (row.tenantRole === "OWNER") return "tenant_owner";
  if (row.tenantRole === "AUDITOR") return "tenant_auditor";
  return "member";
}

export interface AutomationClientRow {
  id: string;
  clientId: string;
  name: string;
  role: AutomationRole;
  tenant: { id: string; slug: string; name: string } | null;
  secretPrefix: string;
  createdByLabel: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  liveTokens: number;
}

export async function listAutomationClients(caller: Caller): Promise<AutomationClientRow[]> {
  assertCanGlobally(caller, "users.manage");
  const db = await prisma();
  const now = new Date();
  const rows = await db.automationClient.findMany({
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    take: 500,
    include: {
      tenant: { select: { id: true, slug: true, name: true } },
      _count: { select: { tokens: { where: { revokedAt: null, expiresAt: { gt: now } } } } },
    },
  });
  return rows.map((r) => ({
    id: r.id,
    clientId: r.clientId,
    name: r.name,
    role: automationRoleOf(r),
    tenant: r.tenant,
    secretPrefix: r.secretPrefix,
    createdByLabel: r.createdByLabel,
    createdAt: r.createdAt,
    lastUsedAt: r.lastUsedAt,
    revokedAt: r.revokedAt,
    liveTokens: r._count.tokens,
  }));
}

/** Creates a client; its secret is in this answer only (stored as a SHA-256 hash). */
export async function createAutomationClient(caller: Caller, input: unknown) {
  assertCanGlobally(caller, "users.manage");
  const data = parseInput(createAutomationClientSchema, input);
  const db = await prisma();
  try {
    return await db.$transaction(async (tx) => {
      const tenant = data.tenant ? await tenantForInput(tx, caller, data.tenant, "users.manage") : null;
      const { secret, prefix, hash } = generateClientSecret();
      const role = ROLE_TO_DB[data.role];
      const actor = actorOf(caller);
      const client = await tx.automationClient.create({
        data: {
          clientId: data.client_id,
          name: data.name,
          globalRole: role.global ?? null,
          tenantId: tenant?.id ?? null,
          tenantRole: role.tenant ?? null,
          secretHash: hash,
          secretPrefix: prefix,
          createdById: actor.id,
          createdByLabel: actor.label,
        },
      });
      await recordAudit(tx, {
        action: "automation_client.create",
        outcome: "success",
        actor,
        tenantId: tenant?.id ?? null,
        target: { type: "automation_client", id: client.id },
        data: { client_id: client.clientId, name: client.name, role: data.role },
      });
      const { secretHash: _hash, ...visible } = client;
      return { client: visible, secret };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ConflictError("An automation client with that id already exists.", { client_id: ["Already in use."] });
    }
    throw error;
  }
}

/** Revokes a client and, in the same transaction, every token it holds. */
export async function revokeAutomationClient(caller: Caller, id: string, input: unknown) {
  assertCanGlobally(caller, "users.manage");
  const { reason } = parseInput(reasonBodySchema, input);
  if (!isUuid(id)) throw new NotFoundError("automation client");
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const client = await tx.automationClient.findUnique({ where: { id } });
    if (!client) throw new NotFoundError("automation client");
    if (client.revokedAt) throw new ConflictError("This automation client is already revoked.");
    const now = new Date();
    await tx.automationClient.update({ where: { id }, data: { revokedAt: now } });
    const tokens = await tx.token.updateMany({
      where: { automationClientId: id, revokedAt: null },
      data: { revokedAt: now, revokedReason: reason },
    });
    await recordAudit(tx, {
      action: "automation_client.revoke",
      outcome: "success",
      actor: actorOf(caller),
      tenantId: client.tenantId,
      target: { type: "automation_client", id },
      reason,
      data: { client_id: client.clientId, tokens_revoked: tokens.count },
    });
  });
}

/** BOOTSTRAP_ADMIN_CLIENT_ID/SECRET on an empty database: the first client, a security admin. */
export async function bootstrapAutomationClient(db: Db, clientId: string, secret: string): Promise<string> {
  const client = await db.automationClient.create({
    data: {
      clientId,
      name: "Bootstrap automation client",
      globalRole: "SECURITY_ADMIN",
      secretHash: hashSecret(secret),
      secretPrefix: `${secret.slice(0, 4)}…`,
      createdByLabel: "bootstrap",
    },
  });
  await recordAudit(db, {
    action: "automation_client.create",
    outcome: "success",
    actor: { type: "system", label: "bootstrap" },
    target: { type: "automation_client", id: client.id },
    data: { client_id: clientId, role: "security_admin" },
  });
  return clientId;
}
