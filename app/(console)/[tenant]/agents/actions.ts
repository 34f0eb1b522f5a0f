"use server";

import { revalidatePath } from "next/cache";
import type { ActionResult } from "@/lib/action-result";
import type { CreateAgentInput, UpdateAgentInput } from "@/lib/schemas/agents";
import { runAction } from "@/server/actions";
import { createAgent } from "@/server/agents/create-agent";
import { createCredential, revokeCredential } from "@/server/agents/credentials";
import { renewReview } from "@/server/agents/renew-review";
import { type BulkResult, transitionAgent, transitionAgents } from "@/server/agents/transition-agent";
import { updateAgent } from "@/server/agents/update-agent";
import { assignRole, removeRole } from "@/server/catalog/roles";

// Console actions for agents: each is the wrapper around one domain function, which validates,
// checks tenancy and role, and audits. The tenant comes from the agent, never from these inputs.

export async function createAgentAction(input: CreateAgentInput): Promise<ActionResult<{ id: string }>> {
  return runAction(async (caller) => ({ id: (await createAgent(caller, input)).id }));
}

export async function updateAgentAction(id: string, input: UpdateAgentInput): Promise<ActionResult> {
  const result = await runAction(async (caller) => {
    await updateAgent(caller, id, input);
    return undefined;
  });
  revalidatePath("/[tenant]/agents", "layout");
  return result;
}

export async function transitionAgentAction(id: string, transition: string, reason: string): Promise<ActionResult> {
  const result = await runAction(async (caller) => {
    await transitionAgent(caller, id, { transition, reason });
    return undefined;
  });
  revalidatePath("/[tenant]/agents", "layout");
  return result;
}

export async function bulkTransitionAction(
  ids: string[],
  transition: "suspend" | "resume",
  reason: string,
): Promise<ActionResult<BulkResult[]>> {
  const result = await runAction((caller) => transitionAgents(caller, { ids, transition, reason }));
  revalidatePath("/[tenant]/agents", "layout");
  return result;
}

export async function renewReviewAction(id: string): Promise<ActionResult> {
  const result = await runAction(async (caller) => {
    await renewReview(caller, id);
    return undefined;
  });
  revalidatePath("/[tenant]/agents", "layout");
  return result;
}

export async function createCredentialAction(
  agentId: string,
  input: Record<string, unknown>,
): Promise<ActionResult<{ id: string; secret: string | null }>> {
  const result = await runAction(async (caller) => {
    const { credential, secret } = await createCredential(caller, agentId, input);
    return { id: credential.id, secret };
  });
  revalidatePath("/[tenant]/agents", "layout");
  return result;
}

export async function revokeCredentialAction(
  agentId: string,
  credentialId: string,
  reason: string,
): Promise<ActionResult> {
  const result = await runAction(async (caller) => {
    await revokeCredential(caller, agentId, credentialId, { reason });
    return undefined;
  });
  revalidatePath("/[tenant]/agents", "layout");
  return result;
}

export async function assignRoleAction(agentId: string, roleId: string): Promise<ActionResult> {
  const result = await runAction(async (caller) => {
    await assignRole(caller, agentId, roleId);
    return undefined;
  });
  revalidatePath("/[tenant]/agents", "layout");
  return result;
}

export async function removeRoleAction(agentId: string, roleId: string): Promise<ActionResult> {
  const result = await runAction(async (caller) => {
    await removeRole(caller, agentId, roleId);
    return undefined;
  });
  revalidatePath("/[tenant]/agents", "layout");
  return result;
}
