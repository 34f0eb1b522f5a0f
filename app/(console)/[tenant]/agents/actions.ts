"use server";

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

const AGENT_PAGES = { revalidate: ["/[tenant]/agents", "layout"] } as const;

export async function createAgentAction(input: CreateAgentInput): Promise<ActionResult<{ id: string }>> {
  return runAction(async (caller) => ({ id: (await createAgent(caller, input)).id }), AGENT_PAGES);
}

export async function updateAgentAction(id: string, input: UpdateAgentInput): Promise<ActionResult> {
  return runAction(async (caller) => void (await updateAgent(caller, id, input)), AGENT_PAGES);
}

export async function transitionAgentAction(id: string, transition: string, reason: string): Promise<ActionResult> {
  return runAction(async (caller) => void (await transitionAgent(caller, id, { transition, reason })), AGENT_PAGES);
}

export async function bulkTransitionAction(
  ids: string[],
  transition: "suspend" | "resume",
  reason: string,
): Promise<ActionResult<BulkResult[]>> {
  return runAction((caller) => transitionAgents(caller, { ids, transition, reason }), AGENT_PAGES);
}

export async function renewReviewAction(id: string): Promise<ActionResult> {
  return runAction(async (caller) => void (await renewReview(caller, id)), AGENT_PAGES);
}

export async function createCredentialAction(
  agentId: string,
  input: Record<string, unknown>,
): Promise<ActionResult<{ id: string; secret: string | null }>> {
  return runAction(async (caller) => {
    const { credential, secret } = await createCredential(caller, agentId, input);
    return { id: credential.id, secret };
  }, AGENT_PAGES);
}

export async function revokeCredentialAction(
  agentId: string,
  credentialId: string,
  reason: string,
): Promise<ActionResult> {
  return runAction(
    async (caller) => void (await revokeCredential(caller, agentId, credentialId, { reason })),
    AGENT_PAGES,
  );
}

export async function assignRoleAction(agentId: string, roleId: string): Promise<ActionResult> {
  return runAction(async (caller) => void (await assignRole(caller, agentId, roleId)), AGENT_PAGES);
}

export async function removeRoleAction(agentId: string, roleId: string): Promise<ActionResult> {
  return runAction(async (caller) => void (await removeRole(caller, agentId, roleId)), AGENT_PAGES);
}
