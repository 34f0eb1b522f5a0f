import "server-only";
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import { env } from "@/lib/env";
import { decisionRequestSchema } from "@/lib/schemas/decisions";
import { simulateSchema } from "@/lib/schemas/policies";
import { parseInput } from "@/lib/validation";
import { agentFor } from "../agents/agent-access";
import type { Caller } from "../auth/caller";
import { allowedScopes } from "../catalog/roles";
import { prisma } from "../db";
import { apiResource } from "../oauth/resource";
import { analyzePolicy } from "./cedar";
import { AGENT_INCLUDE, contextFor, entitiesFor } from "./decide";
import { knownActions } from "./policies";

export interface SimulationResult {
  decision: "allow" | "deny" | "needs_approval";
  reason: string;
  policies: string[];
  /** Problems of the draft, if it is not valid: then nothing is evaluated. */
  problems: { message: string; help: string | null; line: number | null; column: number | null }[];
}

/**
 * What the decision would be for this agent, action, resource and context, with the policy being
 * edited as drafted, before anything is saved. Nothing is recorded: it is not a decision.
 */
export async function simulateDecision(caller: Caller, input: unknown): Promise<SimulationResult> {
  const data = parseInput(simulateSchema, input);
  const request = parseInput(decisionRequestSchema, {
    action: data.action,
    resource: data.resource,
    context: data.context,
  });
  const db = await prisma();
  const base = await agentFor(db, caller, data.agent, "policies.read");
  const agent = await db.agent.findUniqueOrThrow({ where: { id: base.id }, include: AGENT_INCLUDE });
  const answer = (decision: SimulationResult["decision"], reason: string, policies: string[] = []) => ({
    decision,
    reason,
    policies,
    problems: [],
  });

  if (data.draft) {
    const analysis = analyzePolicy(data.draft.text, await knownActions(db, agent.tenantId));
    if (!analysis.ok) {
      return { decision: "deny", reason: "The draft is not valid.", policies: [], problems: analysis.problems };
    }
  }
  if (agent.status !== "ACTIVE") return answer("deny", `The agent is ${agent.status.toLowerCase()}.`);
  if (!(await allowedScopes(db, agent.id)).includes(request.action)) {
    return answer("deny", `The action ${request.action} is not among the agent's scopes (its roles).`);
  }
  const rows = await db.policy.findMany({
    where: { enabled: true, OR: [{ tenantId: null }, { tenantId: agent.tenantId }] },
    select: { id: true, name: true, text: true, requiresApproval: true },
  });
  const policies = new Map(rows.map((p) => [p.id, p]));
  if (data.draft) {
    const id = data.draft.policy_id ?? "draft";
    const analysis = analyzePolicy(data.draft.text, await knownActions(db, agent.tenantId));
    policies.set(id, {
      id,
      name: `${data.draft.name} (draft)`,
      text: data.draft.text,
      requiresApproval: analysis.requiresApproval,
    });
  }
  if (!policies.size) return answer("deny", "No policy permits this action (deny by default).");
  const result = cedar.isAuthorized({
    principal: { type: "Agent", id: agent.id },
    action: { type: "Action", id: request.action },
    resource: { type: request.resource.type, id: request.resource.id },
    context: contextFor(request, new Date(), "127.0.0.1", null, {
      chain: [...data.delegated_by, agent.id],
      depth: data.delegated_by.length,
      audience: data.audience || apiResource(env().publicUrl),
    }),
    policies: { staticPolicies: Object.fromEntries([...policies.values()].map((p) => [p.id, p.text])) },
    entities: await entitiesFor(db, agent, request, null),
  });
  if (result.type === "failure")
    return answer("deny", `The policies could not be evaluated: ${result.errors[0]?.message}`);
  const deciding = result.response.diagnostics.reason.map((id) => policies.get(id)).filter((p) => !!p);
  const names = deciding.map((p) => p.name);
  if (result.response.decision === "deny") {
    return deciding.length
      ? answer("deny", `Forbidden by policy ${names.map((n) => `"${n}"`).join(", ")}.`, names)
      : answer("deny", "No policy permits this action (deny by default).");
  }
  if (deciding.some((p) => !p.requiresApproval)) {
    return answer("allow", `Permitted by policy ${names.map((n) => `"${n}"`).join(", ")}.`, names);
  }
  return answer(
    "needs_approval",
    `Policy ${names.map((n) => `"${n}"`).join(", ")} requires a person's approval.`,
    names,
  );
}
