"use server";

import { revalidatePath } from "next/cache";
import type { ActionResult } from "@/lib/action-result";
import { runAction } from "@/server/actions";
import { createRole, deleteRole, updateRole } from "@/server/catalog/roles";
import { createScope, deleteScope, updateScope } from "@/server/catalog/scopes";

// Console actions for the scope and role catalog; the domain decides who may touch global entries.

export async function createScopeAction(input: Record<string, unknown>): Promise<ActionResult> {
  const r = await runAction(async (caller) => void (await createScope(caller, input)));
  revalidatePath("/[tenant]/scopes", "page");
  return r;
}

export async function deleteScopeAction(id: string): Promise<ActionResult> {
  const r = await runAction(async (caller) => void (await deleteScope(caller, id)));
  revalidatePath("/[tenant]/scopes", "page");
  return r;
}

export async function createRoleAction(input: Record<string, unknown>): Promise<ActionResult> {
  const r = await runAction(async (caller) => void (await createRole(caller, input)));
  revalidatePath("/[tenant]/roles", "page");
  return r;
}

export async function deleteRoleAction(id: string): Promise<ActionResult> {
  const r = await runAction(async (caller) => void (await deleteRole(caller, id)));
  revalidatePath("/[tenant]/roles", "page");
  return r;
}

export async function updateScopeAction(id: string, input: Record<string, unknown>): Promise<ActionResult> {
  const r = await runAction(async (caller) => void (await updateScope(caller, id, input)));
  revalidatePath("/[tenant]/scopes", "page");
  return r;
}

export async function updateRoleAction(id: string, input: Record<string, unknown>): Promise<ActionResult> {
  const r = await runAction(async (caller) => void (await updateRole(caller, id, input)));
  revalidatePath("/[tenant]/roles", "page");
  return r;
}
