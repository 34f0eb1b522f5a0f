import "server-only";
import { ValidationError } from "@/lib/errors";
import { can, type Permission } from "@/lib/permissions";
import { isUuid } from "@/lib/validation";
import { assertCan } from "../auth/authorize";
import type { Caller } from "../auth/caller";
import type { Db } from "../db";

/**
 * The tenant named in a request body (slug or id) for an action needing the permission. An
 * unknown tenant and one the caller cannot see get the same 400 on the field.
 */
export async function tenantForInput(db: Db, caller: Caller, ref: string, permission: Permission, field = "tenant") {
  const tenant = await db.tenant.findUnique({ where: isUuid(ref) ? { id: ref } : { slug: ref } });
  if (!tenant || !can(caller.roles, "tenant.read", tenant.id)) {
    throw new ValidationError({ [field]: ["No such tenant, or you do not have access to it."] });
  }
  assertCan(caller, permission, tenant.id);
  return tenant;
}

/** The tenant a list's `tenant` query parameter names (required), for a caller who may read it. */
export async function tenantForQuery(db: Db, caller: Caller, ref: string | undefined) {
  if (!ref) throw new ValidationError({ tenant: ["Name the tenant (slug or id)."] });
  return tenantForInput(db, caller, ref, "tenant.read");
}
