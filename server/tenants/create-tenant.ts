import "server-only";
import { ConflictError } from "@/lib/errors";
import type { Role } from "@/lib/permissions";
import { type CreateTenantInput, createTenantSchema } from "@/lib/schemas/tenants";
import { parseInput } from "@/lib/validation";
import { recordAudit } from "../audit/record";
import { TENANT_ROLE_TO_DB } from "../auth/caller";
import type { Db } from "../db";
import type { Actor } from "../users/create-user";

/** Creates a tenant. Like createUser, the caller-facing permission check sits in front of it. */
export async function createTenant(db: Db, input: CreateTenantInput, actor: Actor) {
  const data = parseInput(createTenantSchema, input);
  if (await db.tenant.findUnique({ where: { slug: data.slug }, select: { id: true } })) {
    throw new ConflictError("A tenant with that slug already exists.", { slug: ["Already in use."] });
  }
  const tenant = await db.tenant.create({ data });
  await recordAudit(db, {
    action: "tenant.create",
    outcome: "success",
    actor,
    tenantId: tenant.id,
    target: { type: "tenant", id: tenant.id },
    data: { after: data },
  });
  return tenant;
}

export async function addMember(
  db: Db,
  { tenantId, userId, role }: { tenantId: string; userId: string; role: Exclude<Role, "security_admin"> },
  actor: Actor,
) {
  const membership = await db.membership.create({ data: { tenantId, userId, role: TENANT_ROLE_TO_DB[role] } });
  await recordAudit(db, {
    action: "tenant.member.add",
    outcome: "success",
    actor,
    tenantId,
    target: { type: "user", id: userId },
    data: { after: { role } },
  });
  return membership;
}
