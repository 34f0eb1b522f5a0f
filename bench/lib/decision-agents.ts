// The agents of the decision benchmarks (bench/decisions.ts, bench/hot-paths.ts), made through
// Mandate's own functions on the installed database: the scopes of ACTIONS on the role every agent
// holds, the payments role for the finance ones, the planned tags and environments, and a client
// secret each.
import { createCredential } from "../../server/agents/credentials";
import type { UserCaller } from "../../server/auth/caller";
import { assignRole, createRole } from "../../server/catalog/roles";
import { createScope } from "../../server/catalog/scopes";
import { makeAgent } from "../../tests/factories";
import { ACTIONS, planAgents, ROLES } from "./decision-policies";

export interface SeededAgent {
  id: string;
  name: string;
  secret: string;
  /** `Basic …` for client_secret_basic (RFC 6749 §2.3.1: form-encoded id and secret). */
  authorization: string;
}

export async function seedDecisionAgents(admin: UserCaller, tenantId: string, count: number): Promise<SeededAgent[]> {
  const scopes = [];
  for (const { name } of ACTIONS) {
    scopes.push(await createScope(admin, { name, description: `The ${name} scope`, risk: "medium", tenant: null }));
  }
  const operator = await createRole(admin, { name: ROLES.operator, tenant: null, scopes: scopes.map((s) => s.id) });
  const payments = await createRole(admin, { name: ROLES.payments, tenant: null });
  const agents: SeededAgent[] = [];
  for (const plan of planAgents(count)) {
    const agent = await makeAgent(admin, tenantId, {
      status: "active",
      environment: plan.environment,
      attributes: plan.attributes,
      token_ttl_seconds: 3600,
    });
    await assignRole(admin, agent.id, operator.id);
    if (plan.finance) await assignRole(admin, agent.id, payments.id);
    const { secret } = await createCredential(admin, agent.id, { type: "client_secret", label: "bench" });
    if (!secret) throw new Error("createCredential returned no secret for a client_secret credential.");
    const basic = Buffer.from(`${encodeURIComponent(agent.id)}:${encodeURIComponent(secret)}`).toString("base64");
    agents.push({ id: agent.id, name: agent.name, secret, authorization: `Basic ${basic}` });
  }
  return agents;
}
