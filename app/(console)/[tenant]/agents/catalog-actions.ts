"use server";

import type { ActionResult } from "@/lib/action-result";
import { runAction } from "@/server/actions";
import { createRole, deleteRole, updateRole } from "@/server/catalog/roles";
import { createScope, deleteScope, updateScope } from "@/server/catalog/scopes";

// Console actions for the scope and role catalog; the domain decides who may touch global entries.

const SCOPES_PAGE = { revalidate: ["/[tenant]/scopes", "page"] } as const;
const ROLES_PAGE = { revalidate: ["/[tenant]/roles", "page"] } as const;

export async function createScopeAction(input: Record<string, unknown>): Promise<ActionResult> {
  return runAction(async (caller) => void (await createScope(caller, input)), SCOPES_PAGE);
}

export async function updateScopeAction(id: string, input: Record<string, unknown>): Promise<ActionResult> {
  return runAction(async (caller) => void (await updateScope(caller, id, input)), SCOPES_PAGE);
}

export async function deleteScopeAction(id: string): Promise<ActionResult> {
  return runAction(async (caller) => void (await deleteScope(caller, id)), SCOPES_PAGE);
}

export async function createRoleAction(input: Record<string, unknown>): Promise<ActionResult> {
  return runAction(async (caller) => void (await createRole(caller, input)), ROLES_PAGE);
}

export async function updateRoleAction(id: string, input: Record<string, unknown>): Promise<ActionResult> {
  return runAction(async (caller) => void (await updateRole(caller, id, input)), ROLES_PAGE);
}

export async function deleteRoleAction(id: string): Promise<ActionResult> {
  return runAction(async (caller) => void (await deleteRole(caller, id)), ROLES_PAGE);
}
