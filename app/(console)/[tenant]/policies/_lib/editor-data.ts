import "server-only";
import { resourceTypesFor } from "@/lib/resource-types-for-action";
import { RESOURCE_TYPE_LIST } from "@/lib/schemas/decision-vocabulary";
import { listAgents } from "@/server/agents/list-agents";
import type { Caller } from "@/server/auth/caller";
import { listScopes } from "@/server/catalog/scopes";
import { cedarSchema } from "@/server/policies/cedar-schema";

/**
 * What the editor page needs besides the policy: the tenant's agents and scope names for the
 * simulator, and the schema for the help panel (with the scopes this tenant can see).
 */
export async function editorData(caller: Caller, tenantId: string) {
  const [agents, scopes] = await Promise.all([
    listAgents(caller, tenantId, { page_size: 100, sort: "name", dir: "asc" }),
    listScopes(caller, tenantId),
  ]);
  const actions = [...new Set(scopes.map((s) => s.name))];
  return {
    agents: agents.rows
      .filter((a) => a.status !== "retired")
      .map((a) => ({ id: a.id, name: a.name, status: a.status })),
    actions,
    schema: cedarSchema(actions),
  };
}

/**
 * The simulator starts on what the policy is about: its first action, and the resource type it
 * names (else the one the action's name suggests).
 */
export function simulatorDefaults(text: string, policyActions: readonly string[], actions: readonly string[]) {
  const resource = /resource\s+is\s+([A-Za-z]+)/.exec(text)?.[1];
  const named = policyActions.length ? policyActions : [...text.matchAll(/Action::"([^"]+)"/g)].map((m) => m[1]);
  const action = named.find((a) => actions.includes(a)) ?? actions[0] ?? "";
  return {
    action,
    resourceType: RESOURCE_TYPE_LIST.find((t) => t === resource) ?? resourceTypesFor(action).suggested[0] ?? "Document",
  };
}
