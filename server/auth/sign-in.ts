import "server-only";
import { DomainError, TooManyRequestsError } from "@/lib/errors";
import { signInSchema } from "@/lib/schemas/auth";
import { parseInput } from "@/lib/validation";
import { type RequestMeta, recordAudit } from "../audit/record";
import { prisma } from "../db";
import { acceptInvitationBySso } from "../users/accept-invitation";
import { verifyPassword } from "./password";
import { startSession } from "./sessions";
import { forgiveAttempt, takeAttempts, throttleKeys } from "./throttle";

export class InvalidCredentialsError extends DomainError {
  constructor() {
    super("invalid_credentials", "That email and password do not match an active account.", 401);
  }
}

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
  /** The server-side console session this sign-in opened (sessions.ts). */
  sid: string;
}

/**
 * Checks an email and password. Unknown email, wrong password and deactivated account give one
 * and the same answer; every outcome is audited, and failures count towards the throttle.
 */
export async function signInWithPassword(input: unknown, meta: RequestMeta = {}): Promise<SignedInUser> {
  const { email, password } = parseInput(signInSchema, input);
  const db = await prisma();
  const keys = throttleKeys(email, meta.ip);

  // The attempt is counted before the password is checked, in one atomic statement per key.
  const waitMs = await takeAttempts(db, keys);
  if (waitMs > 0) {
    const minutes = Math.ceil(waitMs / 60_000);
    await recordAudit(db, {
      action: "auth.sign_in",
      outcome: "denied",
      actor: { type: "anonymous", label: email },
      reason: "throttled",
      meta,
    });
    throw new TooManyRequestsError(
      `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
      Math.ceil(waitMs / 1000),
    );
  }

  const user = await db.user.findUnique({ where: { email } });
  const ok = await verifyPassword(user?.passwordHash, password);
  if (!user || !ok || user.deactivatedAt) {
    await db.$transaction(async (tx) => {
      await recordAudit(tx, {
        action: "auth.sign_in",
        outcome: "failure",
        actor: user ? { type: "user", id: user.id, label: email } : { type: "anonymous", label: email },
        reason: !user ? "unknown_email" : user.deactivatedAt ? "deactivated" : "wrong_password",
        meta,
      });
    });
    throw new InvalidCredentialsError();
  }

  const sid = await db.$transaction(async (tx) => {
    await forgiveAttempt(tx, keys);
    await tx.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
    const sid = await startSession(tx, user.id, "password", meta);
    await recordAudit(tx, {
      action: "auth.sign_in",
      outcome: "success",
      actor: { type: "user", id: user.id, label: email },
      data: { method: "password", session: sid },
      meta,
    });
    return sid;
  });
  return { id: user.id, email: user.email, name: user.name, sid };
}

/**
 * Single sign-on links to an existing, active account by its verified email: an identity
 * provider can vouch for who someone is, but only Mandate decides what they may do. The one
 * exception is a sign-in started from an invitation link for that very email (`invitationToken`):
 * then the invited person's account is created as they accept.
 */
export async function signInWithSso(
  profile: { email?: string | null; emailVerified?: boolean | null; subject: string; name?: string | null },
  meta: RequestMeta = {},
  invitationToken?: string,
): Promise<SignedInUser | null> {
  const db = await prisma();
  const email = profile.email?.trim().toLowerCase();
  return db.$transaction(async (tx) => {
    let user = email ? await tx.user.findUnique({ where: { email } }) : null;
    let invited = false;
    if (!user && email && invitationToken && profile.emailVerified === true) {
      const created = await acceptInvitationBySso(tx, invitationToken, { email, name: profile.name ?? null });
      if (created) {
        user = await tx.user.findUniqueOrThrow({ where: { id: created.id } });
        invited = true;
      }
    }
    const ok = !!user && !user.deactivatedAt && profile.emailVerified !== false;
    let sid: string | null = null;
    if (ok && user) {
      await tx.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
      sid = await startSession(tx, user.id, "sso", meta);
    }
    await recordAudit(tx, {
      action: "auth.sign_in",
      outcome: ok ? "success" : "failure",
      actor: user
        ? { type: "user", id: user.id, label: email }
        : { type: "anonymous", label: email ?? profile.subject },
      reason: ok
        ? null
        : !email
          ? "no_email"
          : !user
            ? "unknown_email"
            : user.deactivatedAt
              ? "deactivated"
              : "email_unverified",
      data: {
        method: "sso",
        subject: profile.subject,
        ...(sid ? { session: sid } : {}),
        ...(invited ? { invited } : {}),
      },
      meta,
    });
    return ok && user && sid ? { id: user.id, email: user.email, name: user.name, sid } : null;
  });
}
