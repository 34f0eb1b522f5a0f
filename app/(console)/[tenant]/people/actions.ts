"use server";

import type { ActionResult } from "@/lib/action-result";
import { runAction } from "@/server/actions";
import { addTenantMember, changeMemberRole, removeTenantMember } from "@/server/tenants/members";
import { deactivateUser, describeOffboarding, offboardingImpact, reactivateUser } from "@/server/users/deactivate-user";
import { type IssuedInvitation, invitePerson, resendInvitation, revokeInvitation } from "@/server/users/invitations";

// People: each action is one line around a domain function (server/users, server/tenants), which
// validates, checks tenancy and role, and audits in the same transaction.

const PEOPLE = ["/[tenant]/people", "layout"] as const;

export interface IssuedLink {
  url: string;
  email: string;
  emailDelivery: "sent" | "failed" | "not_configured";
  expiresAt: string;
}

function linkOf(issued: IssuedInvitation): IssuedLink {
  return {
    url: issued.url,
    email: issued.invitation.email,
    emailDelivery: issued.emailDelivery,
    expiresAt: issued.invitation.expiresAt.toISOString(),
  };
}

export async function invitePersonAction(input: Record<string, unknown>): Promise<ActionResult<IssuedLink>> {
  return runAction(async (caller) => linkOf(await invitePerson(caller, input)), { revalidate: PEOPLE });
}

export async function resendInvitationAction(id: string): Promise<ActionResult<IssuedLink>> {
  return runAction(async (caller) => linkOf(await resendInvitation(caller, id)), { revalidate: PEOPLE });
}

export async function revokeInvitationAction(id: string, reason: string): Promise<ActionResult> {
  return runAction(async (caller) => void (await revokeInvitation(caller, id, { reason })), { revalidate: PEOPLE });
}

export async function addMemberAction(tenantId: string, input: Record<string, unknown>): Promise<ActionResult> {
  return runAction(async (caller) => void (await addTenantMember(caller, tenantId, input)), { revalidate: PEOPLE });
}

export async function changeMemberRoleAction(tenantId: string, userId: string, role: string): Promise<ActionResult> {
  return runAction(async (caller) => void (await changeMemberRole(caller, tenantId, userId, { role })), {
    revalidate: PEOPLE,
  });
}

export async function removeMemberAction(
  tenantId: string,
  userId: string,
  input: { reason: string; transfer_agents_to?: string },
): Promise<ActionResult> {
  return runAction(async (caller) => void (await removeTenantMember(caller, tenantId, userId, input)), {
    revalidate: PEOPLE,
  });
}

/** The deactivation dialog's impact line, counted when it opens. */
export async function offboardingImpactAction(
  userId: string,
): Promise<ActionResult<{ summary: string; agents: number; tenantsLeftWithoutOwner: string[] }>> {
  return runAction(async (caller) => {
    const impact = await offboardingImpact(caller, userId);
    return {
      summary: describeOffboarding(impact),
      agents: impact.agents.length,
      tenantsLeftWithoutOwner: impact.tenantsLeftWithoutOwner.map((t) => t.name),
    };
  });
}

export async function deactivateUserAction(
  userId: string,
  input: { reason: string; transfer_agents_to?: string },
): Promise<ActionResult<{ grants: number; tokens: number; sessions: number }>> {
  return runAction(
    async (caller) => {
      const r = await deactivateUser(caller, userId, input);
      return { grants: r.grants, tokens: r.tokens, sessions: r.sessions };
    },
    { revalidate: PEOPLE },
  );
}

export async function reactivateUserAction(userId: string, reason: string): Promise<ActionResult> {
  return runAction(async (caller) => void (await reactivateUser(caller, userId, { reason })), { revalidate: PEOPLE });
}
