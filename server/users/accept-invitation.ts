import "server-only";
import { ConflictError, DomainError, NotFoundError } from "@/lib/errors";
import { acceptInvitationSchema, invitationTokenSchema } from "@/lib/schemas/users";
import { parseInput } from "@/lib/validation";
import { recordAudit } from "../audit/record";
import type { UserCaller } from "../auth/caller";
import { hashPassword } from "../auth/password";
import { type Db, prisma } from "../db";
import type { Invitation } from "../db/generated/client";
import { hashToken } from "../oauth/hash";
import { describeRole, invitationStatus, pendingWhere } from "./invitations";

// Accepting an invitation: a new person sets their name and password (or signs in through SSO
// with the invited, verified email); someone who already has an account signs in as that email
// and accepts. Each way claims the invitation with one compare-and-set, so two acceptances at
// once make one membership, and a used, revoked or expired link changes nothing.

/** What the invitation page shows before anything is accepted. */
export type InvitationPreview =
  | { status: "invalid" }
  | {
      status: "pending" | "accepted" | "expired" | "revoked";
      email: string;
      name: string;
      /** "Tenant owner of Acme Corp". */
      what: string;
      tenant: { slug: string; name: string } | null;
      invitedBy: string;
      expiresAt: Date;
      /** Whether the email already has an account (then the person signs in to accept). */
      accountExists: boolean;
    };

export class InvitationUnusableError extends DomainError {
  constructor(status: "accepted" | "expired" | "revoked") {
    const message = {
      accepted: "This invitation has already been used. Sign in instead.",
      expired: "This invitation has expired. Ask the person who invited you to send it again.",
      revoked: "This invitation was withdrawn. Ask the person who invited you for a new one.",
    }[status];
    super(`invitation_${status}`, message, 409);
  }
}

async function findByToken(db: Db, token: string) {
  if (!invitationTokenSchema.safeParse(token).success) return null;
  return db.invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { tenant: { select: { id: true, slug: true, name: true } } },
  });
}

export async function previewInvitation(token: string): Promise<InvitationPreview> {
  const db = await prisma();
  const row = await findByToken(db, token);
  if (!row) return { status: "invalid" };
  const account = await db.user.findUnique({ where: { email: row.email }, select: { id: true } });
  return {
    status: invitationStatus(row),
    email: row.email,
    name: row.name,
    what: describeRole(row, row.tenant?.name),
    tenant: row.tenant ? { slug: row.tenant.slug, name: row.tenant.name } : null,
    invitedBy: row.createdByLabel,
    expiresAt: row.expiresAt,
    accountExists: !!account,
  };
}

/**
 * Claims the invitation for one acceptance: only a pending one, only once. On PostgreSQL a second
 * acceptance at the same moment waits for the first's row lock, then finds it accepted.
 */
async function claim(tx: Db, token: string): Promise<Invitation> {
  const row = await findByToken(tx, token);
  if (!row) throw new NotFoundError("invitation");
  const now = new Date();
  const { count } = await tx.invitation.updateMany({
    where: { id: row.id, tokenHash: row.tokenHash, ...pendingWhere(now) },
    data: { acceptedAt: now },
  });
  if (count !== 1) {
    const current = await tx.invitation.findUniqueOrThrow({ where: { id: row.id } });
    const status = current.tokenHash === row.tokenHash ? invitationStatus(current, now) : "revoked";
    throw new InvitationUnusableError(status === "pending" ? "accepted" : status);
  }
  return row;
}

/** Gives the invited role to the person (a membership, or the role across every tenant). */
async function applyRole(tx: Db, invitation: Invitation, userId: string): Promise<{ alreadyMember: boolean }> {
  await tx.invitation.update({ where: { id: invitation.id }, data: { acceptedUserId: userId } });
  if (invitation.globalRole) {
    await tx.user.update({ where: { id: userId }, data: { globalRole: invitation.globalRole } });
    return { alreadyMember: false };
  }
  if (!invitation.tenantId || !invitation.tenantRole) return { alreadyMember: false };
  const existing = await tx.membership.findUnique({
    where: { tenantId_userId: { tenantId: invitation.tenantId, userId } },
  });
  // Added to the tenant another way meanwhile: their role stays as it is.
  if (existing) return { alreadyMember: true };
  await tx.membership.create({ data: { tenantId: invitation.tenantId, userId, role: invitation.tenantRole } });
  return { alreadyMember: false };
}

function acceptedEvent(
  invitation: Invitation,
  user: { id: string; email: string },
  method: string,
  alreadyMember: boolean,
) {
  return {
    action: "invitation.accept",
    outcome: "success" as const,
    actor: { type: "user" as const, id: user.id, label: user.email },
    tenantId: invitation.tenantId,
    target: { type: "invitation", id: invitation.id },
    data: {
      method,
      invited_by: invitation.createdByLabel,
      after: {
        role: invitation.tenantRole?.toLowerCase() ?? null,
        global_role: invitation.globalRole?.toLowerCase() ?? null,
        already_member: alreadyMember,
      },
    },
  };
}

async function createInvitedUser(
  tx: Db,
  invitation: Invitation,
  name: string,
  passwordHash: string | null,
  method: "password" | "sso",
) {
  if (await tx.user.findUnique({ where: { email: invitation.email }, select: { id: true } })) {
    throw new ConflictError("An account with this email already exists: sign in to accept the invitation.");
  }
  const user = await tx.user.create({ data: { email: invitation.email, name, passwordHash } });
  const { alreadyMember } = await applyRole(tx, invitation, user.id);
  await recordAudit(tx, {
    action: "user.create",
    outcome: "success",
    actor: { type: "user", id: user.id, label: user.email },
    target: { type: "user", id: user.id },
    data: { after: { email: user.email, name: user.name }, invitation: invitation.id, method },
  });
  await recordAudit(tx, acceptedEvent(invitation, user, method, alreadyMember));
  return user;
}

/** Where to go once accepted: the tenant the invitation was for, or the console's start. */
async function destination(db: Db, invitation: Invitation): Promise<string> {
  if (!invitation.tenantId) return "/";
  const tenant = await db.tenant.findUnique({ where: { id: invitation.tenantId }, select: { slug: true } });
  return tenant ? `/${tenant.slug}` : "/";
}

/** A new person accepts with their name and a password; they then sign in as usual. */
export async function acceptInvitationWithPassword(
  token: string,
  input: unknown,
): Promise<{ email: string; destination: string }> {
  const data = parseInput(acceptInvitationSchema, input);
  // Hashing takes a while: outside the transaction.
  const passwordHash = await hashPassword(data.password);
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const invitation = await claim(tx, token);
    const user = await createInvitedUser(tx, invitation, data.name, passwordHash, "password");
    return { email: user.email, destination: await destination(tx, invitation) };
  });
}

/** Someone signed in as the invited email accepts (they had an account already). */
export async function acceptInvitationAsUser(caller: UserCaller, token: string): Promise<{ destination: string }> {
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const row = await findByToken(tx, token);
    if (!row) throw new NotFoundError("invitation");
    if (row.email !== caller.email) {
      throw new ConflictError(`This invitation is for ${row.email}: sign in as that person to accept it.`);
    }
    const invitation = await claim(tx, token);
    const { alreadyMember } = await applyRole(tx, invitation, caller.id);
    await recordAudit(tx, acceptedEvent(invitation, caller, "signed_in", alreadyMember));
    return { destination: await destination(tx, invitation) };
  });
}

/**
 * Console single sign-on started from an invitation link, for an email with no account yet: the
 * identity provider vouches for the (verified) email, the link for the invitation. Creates the
 * person without a password, in the sign-in's transaction; null when the link does not fit.
 */
export async function acceptInvitationBySso(
  tx: Db,
  token: string,
  profile: { email: string; name: string | null },
): Promise<{ id: string; email: string; name: string } | null> {
  const row = await findByToken(tx, token);
  if (!row || row.email !== profile.email || invitationStatus(row) !== "pending") return null;
  const invitation = await claim(tx, token);
  const name = profile.name?.trim().slice(0, 100) || row.name || profile.email.split("@")[0];
  return createInvitedUser(tx, invitation, name, null, "sso");
}
