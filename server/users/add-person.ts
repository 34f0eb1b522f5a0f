import "server-only";
import { ConflictError, ForbiddenError } from "@/lib/errors";
import { canGlobally } from "@/lib/permissions";
import { newPersonSchema } from "@/lib/schemas/users";
import { parseInput } from "@/lib/validation";
import { recordAudit } from "../audit/record";
import { actorOf } from "../auth/actor";
import type { Caller } from "../auth/caller";
import { GLOBAL_ROLE_TO_DB } from "../auth/caller";
import { hashPassword } from "../auth/password";
import { prisma } from "../db";
import { tenantForInput } from "../tenants/resolve-tenant";
import { type IssuedInvitation, invitePerson, MEMBER_ROLE_TO_DB } from "./invitations";
import { getPerson, type PersonDetail } from "./people";

// POST /api/v1/users: a person joins with an invitation (the default), or, for a scripted set-up
// by a security-admin automation client, with a password given here (never returned).

export type AddedPerson = ({ kind: "invitation" } & IssuedInvitation) | { kind: "user"; user: PersonDetail };

export async function addPerson(caller: Caller, input: unknown): Promise<AddedPerson> {
  const data = parseInput(newPersonSchema, input);
  if (data.password === undefined) return { kind: "invitation", ...(await invitePerson(caller, data)) };
  if (caller.type !== "client" || !canGlobally(caller.roles, "users.manage")) {
    throw new ForbiddenError("Only a security-admin automation client sets a password: invite people instead.");
  }
  const db = await prisma();
  const tenant = data.tenant ? await tenantForInput(db, caller, data.tenant, "members.manage") : null;
  const passwordHash = await hashPassword(data.password);
  const user = await db.$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email: data.email }, select: { id: true } })) {
      throw new ConflictError("A person with that email already exists.", { email: ["Already in use."] });
    }
    const user = await tx.user.create({
      data: {
        email: data.email,
        name: data.name as string,
        passwordHash,
        globalRole: data.global_role ? GLOBAL_ROLE_TO_DB[data.global_role] : null,
      },
    });
    if (tenant && data.role) {
      await tx.membership.create({
        data: { tenantId: tenant.id, userId: user.id, role: MEMBER_ROLE_TO_DB[data.role] },
      });
    }
    await recordAudit(tx, {
      action: "user.create",
      outcome: "success",
      actor: actorOf(caller),
      tenantId: tenant?.id ?? null,
      target: { type: "user", id: user.id },
      data: {
        after: {
          email: user.email,
          name: user.name,
          global_role: data.global_role ?? null,
          tenant: tenant?.slug ?? null,
          role: data.role ?? null,
          password: "set",
        },
      },
    });
    return user;
  });
  return { kind: "user", user: await getPerson(caller, user.id) };
}
