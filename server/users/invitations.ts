import "server-only";
import { randomBytes } from "node:crypto";
import { env } from "@/lib/env";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { can, canGlobally } from "@/lib/permissions";
import type { CursorPage } from "@/lib/schemas/pagination";
import { reasonSchema } from "@/lib/schemas/reason";
import {
  GLOBAL_ROLE_LABELS,
  type GlobalRoleName,
  type InvitationStatus,
  invitationListSchema,
  MEMBER_ROLE_LABELS,
  type MemberRole,
  newPersonSchema,
} from "@/lib/schemas/users";
import { isUuid, parseInput } from "@/lib/validation";
import { recordAudit } from "../audit/record";
import { actorOf } from "../auth/actor";
import { assertCanGlobally, reach } from "../auth/authorize";
import type { Caller } from "../auth/caller";
import { GLOBAL_ROLE_TO_DB } from "../auth/caller";
import { type Db, prisma } from "../db";
import type { GlobalRole, Invitation, Prisma, TenantRole } from "../db/generated/client";
import { jsonCursor, keysetPage } from "../db/keyset";
import { invitationEmail } from "../mail/invitation-email";
import { mailConfigured, sendMail } from "../mail/mailer";
import { hashToken } from "../oauth/hash";
import { tenantForInput } from "../tenants/resolve-tenant";

// Invitations: a single-use link that lets a person join Mandate with a role (in a tenant, or
// across every tenant). The token is 256 random bits, stored only as its SHA-256, shown once to
// the inviter (and sent by email when SMTP is configured); accepting it is accept-invitation.ts.

export const MEMBER_ROLE_FROM_DB: Record<TenantRole, MemberRole> = {
  OWNER: "owner",
  AUDITOR: "auditor",
  MEMBER: "member",
};
export const MEMBER_ROLE_TO_DB: Record<MemberRole, TenantRole> = {
  owner: "OWNER",
  auditor: "AUDITOR",
  member: "MEMBER",
};
export const GLOBAL_ROLE_FROM_DB: Record<GlobalRole, GlobalRoleName> = {
  SECURITY_ADMIN: "security_admin",
  AUDITOR: "auditor",
};

export interface InvitationView {
  id: string;
  email: string;
  name: string;
  tenant: { id: string; slug: string; name: string } | null;
  role: MemberRole | null;
  globalRole: GlobalRoleName | null;
  status: InvitationStatus;
  invitedBy: string;
  createdAt: Date;
  sentAt: Date;
  sendCount: number;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
}

/** A freshly issued link: shown once, never stored. */
export interface IssuedInvitation {
  invitation: InvitationView;
  url: string;
  /** sent: by email; failed: the SMTP server refused or could not be reached; not_configured: no SMTP_URL. */
  emailDelivery: "sent" | "failed" | "not_configured";
}

type InvitationWithTenant = Invitation & { tenant: { id: string; slug: string; name: string } | null };

export function invitationStatus(row: Invitation, now = new Date()): InvitationStatus {
  if (row.acceptedAt) return "accepted";
  if (row.revokedAt) return "revoked";
  if (row.expiresAt <= now) return "expired";
  return "pending";
}

export function invitationView(row: InvitationWithTenant): InvitationView {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    tenant: row.tenant,
    role: row.tenantRole ? MEMBER_ROLE_FROM_DB[row.tenantRole] : null,
    globalRole: row.globalRole ? GLOBAL_ROLE_FROM_DB[row.globalRole] : null,
    status: invitationStatus(row),
    invitedBy: row.createdByLabel,
    createdAt: row.createdAt,
    sentAt: row.sentAt,
    sendCount: row.sendCount,
    expiresAt: row.expiresAt,
    acceptedAt: row.acceptedAt,
    revokedAt: row.revokedAt,
  };
}

/** "Tenant owner of Acme Corp", "Security admin (every tenant)": what an invitation makes someone. */
export function describeRole(
  row: { tenantRole: TenantRole | null; globalRole: GlobalRole | null },
  tenantName?: string,
) {
  if (row.globalRole) return GLOBAL_ROLE_LABELS[GLOBAL_ROLE_FROM_DB[row.globalRole]];
  const role = row.tenantRole ? MEMBER_ROLE_LABELS[MEMBER_ROLE_FROM_DB[row.tenantRole]] : "Member";
  return tenantName ? `${role} of ${tenantName}` : role;
}

function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashToken(token) };
}

export function invitationUrl(token: string): string {
  return `${env().publicUrl}/invite/${token}`;
}

function expiry(now = new Date()): Date {
  return new Date(now.getTime() + env().INVITATION_TTL_HOURS * 3_600_000);
}

const withTenant = { tenant: { select: { id: true, slug: true, name: true } } } as const;

/** Only invitations still waiting for their person. */
export function pendingWhere(now = new Date()): Prisma.InvitationWhereInput {
  return { acceptedAt: null, revokedAt: null, expiresAt: { gt: now } };
}

/**
 * Invites a person by email: to a tenant with a role (owners of that tenant and security admins),
 * or with a role across every tenant (security admins). Refused, naming the field, when the person
 * is already there or already invited to the same place. The link is in the answer, once.
 */
export async function invitePerson(caller: Caller, input: unknown): Promise<IssuedInvitation> {
  const data = parseInput(newPersonSchema, input);
  if (data.password !== undefined) {
    throw new ValidationError({ password: ["People set their own password when they accept the invitation."] });
  }
  const db = await prisma();
  const tenant = data.tenant ? await tenantForInput(db, caller, data.tenant, "members.manage") : null;
  if (!tenant) assertCanGlobally(caller, "users.manage");
  const { token, hash } = newToken();
  const row = await db.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({
      where: { email: data.email },
      include: tenant ? { memberships: { where: { tenantId: tenant.id } } } : { memberships: { take: 0 } },
    });
    if (existing?.deactivatedAt) {
      throw new ConflictError(`${data.email} belongs to a deactivated account: reactivate it first.`, {
        email: ["This account is deactivated."],
      });
    }
    if (tenant && existing?.memberships.length) {
      throw new ConflictError(`${data.email} is already a member of ${tenant.name}.`, {
        email: ["Already a member of this tenant: change their role instead."],
      });
    }
    if (!tenant && existing?.globalRole) {
      throw new ConflictError(`${data.email} already holds a role across every tenant.`, {
        email: ["Already holds a global role."],
      });
    }
    const duplicate = await tx.invitation.findFirst({
      where: { email: data.email, tenantId: tenant?.id ?? null, ...pendingWhere() },
      select: { id: true },
    });
    if (duplicate) {
      throw new ConflictError(`${data.email} already has a pending invitation here: resend it instead.`, {
        email: ["Already invited: resend the pending invitation."],
      });
    }
    const created = await tx.invitation.create({
      data: {
        email: data.email,
        name: data.name ?? "",
        tenantId: tenant?.id ?? null,
        tenantRole: data.role ? MEMBER_ROLE_TO_DB[data.role] : null,
        globalRole: data.global_role ? GLOBAL_ROLE_TO_DB[data.global_role] : null,
        tokenHash: hash,
        expiresAt: expiry(),
        createdById: caller.id,
        createdByLabel: actorOf(caller).label,
      },
      include: withTenant,
    });
    await recordAudit(tx, {
      action: "invitation.create",
      outcome: "success",
      actor: actorOf(caller),
      tenantId: tenant?.id ?? null,
      target: { type: "invitation", id: created.id },
      data: {
        after: {
          email: created.email,
          role: data.role ?? null,
          global_role: data.global_role ?? null,
          expires_at: created.expiresAt.toISOString(),
        },
      },
    });
    return created;
  });
  const url = invitationUrl(token);
  return { invitation: invitationView(row), url, emailDelivery: await deliver(caller, row, url) };
}

/** Sends the link by email when SMTP is configured; the attempt and its outcome are recorded. */
async function deliver(
  caller: Caller,
  row: InvitationWithTenant,
  url: string,
): Promise<IssuedInvitation["emailDelivery"]> {
  if (!mailConfigured()) return "not_configured";
  let failure: string | null = null;
  try {
    await sendMail(
      invitationEmail({
        to: row.email,
        url,
        invitedBy: caller.type === "user" ? `${caller.name} (${caller.email})` : caller.name,
        what: describeRole(row, row.tenant?.name),
        expiresAt: row.expiresAt,
      }),
    );
  } catch (error) {
    failure = error instanceof Error ? error.message.slice(0, 300) : "could not send";
    console.error(`invitation ${row.id}: the email to ${row.email} was not sent`, error);
  }
  await recordAudit(await prisma(), {
    action: "invitation.email",
    outcome: failure ? "failure" : "success",
    actor: actorOf(caller),
    tenantId: row.tenantId,
    target: { type: "invitation", id: row.id },
    reason: failure,
    data: { to: row.email },
  });
  return failure ? "failed" : "sent";
}

/**
 * Invitations the caller may see: in the tenants where they manage members, and those for a role
 * across every tenant for security admins.
 */
function visibleWhere(caller: Caller): Prisma.InvitationWhereInput {
  const tenants = reach(caller, "members.manage", "users.manage");
  if (tenants === "all") return {};
  return { tenantId: { in: tenants } };
}

export async function listInvitations(caller: Caller, input: unknown): Promise<CursorPage<InvitationView>> {
  const query = parseInput(invitationListSchema, input ?? {});
  const db = await prisma();
  const and: Prisma.InvitationWhereInput[] = [visibleWhere(caller)];
  if (query.tenant) and.push({ tenantId: (await tenantForInput(db, caller, query.tenant, "members.manage")).id });
  const now = new Date();
  if (query.status === "pending") and.push(pendingWhere(now));
  if (query.status === "expired") and.push({ acceptedAt: null, revokedAt: null, expiresAt: { lte: now } });
  if (query.status === "accepted") and.push({ acceptedAt: { not: null } });
  if (query.status === "revoked") and.push({ revokedAt: { not: null }, acceptedAt: null });
  const page = await keysetPage<InvitationWithTenant, Prisma.InvitationWhereInput, Date>({
    key: "createdAt",
    keyOf: (r) => r.createdAt,
    idOf: (r) => r.id,
    cursors: jsonCursor("date"),
    sort: "created_at",
    dir: "desc",
    pageSize: query.page_size,
    cursor: query.cursor,
    where: { AND: and },
    find: (where, order, take) =>
      db.invitation.findMany({ where, orderBy: [{ createdAt: order }, { id: order }], take, include: withTenant }),
    count: (where, take) => db.invitation.count({ where, take }),
  });
  return { ...page, rows: page.rows.map(invitationView) };
}

/** An invitation the caller may manage: its tenant's owners and security admins; global ones, security admins. */
async function manageableInvitation(db: Db, caller: Caller, id: string): Promise<InvitationWithTenant> {
  const row = isUuid(id) ? await db.invitation.findUnique({ where: { id }, include: withTenant }) : null;
  const visible =
    row &&
    (row.tenantId ? can(caller.roles, "members.manage", row.tenantId) : canGlobally(caller.roles, "users.manage"));
  if (!row || !visible) throw new NotFoundError("invitation");
  return row;
}

export async function getInvitation(caller: Caller, id: string): Promise<InvitationView> {
  return invitationView(await manageableInvitation(await prisma(), caller, id));
}

/** Withdraws a pending (or expired) invitation: its link stops working. */
export async function revokeInvitation(caller: Caller, id: string, input: unknown): Promise<InvitationView> {
  const reason = parseInput(reasonSchema.optional(), (input as { reason?: unknown } | undefined)?.reason);
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const row = await manageableInvitation(tx, caller, id);
    const status = invitationStatus(row);
    if (status === "accepted") throw new ConflictError("This invitation has already been accepted.");
    if (status === "revoked") throw new ConflictError("This invitation is already revoked.");
    const actor = actorOf(caller);
    const updated = await tx.invitation.update({
      where: { id: row.id },
      data: { revokedAt: new Date(), revokedBy: actor.label },
      include: withTenant,
    });
    await recordAudit(tx, {
      action: "invitation.revoke",
      outcome: "success",
      actor,
      tenantId: row.tenantId,
      target: { type: "invitation", id: row.id },
      reason: reason ?? null,
      data: { email: row.email },
    });
    return invitationView(updated);
  });
}

/**
 * Issues the invitation again: a new link (the old one stops working) with a new expiry, shown
 * once and emailed when SMTP is configured. Pending and expired invitations only.
 */
export async function resendInvitation(caller: Caller, id: string): Promise<IssuedInvitation> {
  const db = await prisma();
  const { token, hash } = newToken();
  const row = await db.$transaction(async (tx) => {
    const row = await manageableInvitation(tx, caller, id);
    const status = invitationStatus(row);
    if (status === "accepted") throw new ConflictError("This invitation has already been accepted.");
    if (status === "revoked") throw new ConflictError("This invitation was revoked: invite the person again.");
    const now = new Date();
    // Compare-and-set on the token: of two resends at once, one wins and the other is refused.
    const { count } = await tx.invitation.updateMany({
      where: { id: row.id, tokenHash: row.tokenHash, acceptedAt: null, revokedAt: null },
      data: { tokenHash: hash, expiresAt: expiry(now), sentAt: now, sendCount: { increment: 1 } },
    });
    if (count !== 1) throw new ConflictError("This invitation changed meanwhile. Reload and try again.");
    const updated = await tx.invitation.findUniqueOrThrow({ where: { id: row.id }, include: withTenant });
    await recordAudit(tx, {
      action: "invitation.resend",
      outcome: "success",
      actor: actorOf(caller),
      tenantId: row.tenantId,
      target: { type: "invitation", id: row.id },
      data: { email: row.email, expires_at: updated.expiresAt.toISOString(), send_count: updated.sendCount },
    });
    return updated;
  });
  const url = invitationUrl(token);
  return { invitation: invitationView(row), url, emailDelivery: await deliver(caller, row, url) };
}

/** Pending invitations the caller may see (in one tenant, or everywhere they manage members). */
export async function countPendingInvitations(caller: Caller, tenantId?: string): Promise<number> {
  const db = await prisma();
  return db.invitation.count({
    where: { AND: [visibleWhere(caller), pendingWhere(), tenantId ? { tenantId } : {}] },
  });
}
