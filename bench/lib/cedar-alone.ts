// Cedar's share of a decision, in this process and without HTTP or database: statefulIsAuthorized
// on preparsed policy sets, with the entities and context decide() builds (server/policies/decide.ts),
// for the candidates after decide()'s action and tenant filter and, to show what that filter saves,
// for every policy that applies to the tenant in one set.
import { performance } from "node:perf_hooks";
import type { DecisionRequest } from "../../lib/schemas/decisions";
import { decisionRequestSchema } from "../../lib/schemas/decisions";
import type { Db } from "../../server/db";
import { authorize, type EntityJson, preparePolicySet } from "../../server/policies/cedar";
import { AGENT_INCLUDE, contextFor, entitiesFor } from "../../server/policies/decide";
import { ACTIONS, requestGenerator } from "./decision-policies";
import { percentile } from "./harness";

export interface CedarTiming {
  /** Per call, µs. */
  p50: number;
  p99: number;
  mean: number;
  /** Parsing the policy sets once (preparsePolicySet), ms. */
  parseMs: number;
  policiesPerCall: number;
}

export interface CedarAlone {
  filtered: CedarTiming;
  whole: CedarTiming;
  calls: number;
  decisions: { allow: number; deny: number };
  /** Policies that failed to evaluate (Cedar skips them): must be 0. */
  evaluationErrors: number;
}

interface Call {
  agentId: string;
  request: DecisionRequest;
  entities: EntityJson[];
  context: ReturnType<typeof contextFor>;
}

/** The filter decide() applies, as a Prisma where. */
export const candidateWhere = (tenantId: string, action?: string) => ({
  enabled: true,
  OR: [{ tenantId: null }, { tenantId }],
  ...(action ? { AND: [{ OR: [{ actions: { isEmpty: true } }, { actions: { has: action } }] }] } : {}),
});

/** Times `calls` decisions (after one untimed pass over the same calls) on sets filtered by action and whole. */
export async function measureCedar(
  db: Db,
  {
    label,
    tenantId,
    agentIds,
    slugs,
    calls: n,
  }: {
    label: string;
    tenantId: string;
    agentIds: string[];
    slugs: { A: string; B: string };
    calls: number;
  },
): Promise<CedarAlone> {
  const agents = await db.agent.findMany({ where: { id: { in: agentIds } }, include: AGENT_INCLUDE });
  const next = requestGenerator(99, slugs);
  const now = new Date();
  const calls: Call[] = [];
  for (let i = 0; i < n; i++) {
    const agent = agents[i % agents.length];
    const request = decisionRequestSchema.parse(next());
    calls.push({
      agentId: agent.id,
      request,
      entities: await entitiesFor(db, agent, request, null),
      context: contextFor(request, now, "127.0.0.1", null, {
        chain: [agent.id],
        depth: 0,
        audience: "http://localhost:3000/api/v1",
      }),
    });
  }

  const texts = async (action?: string) =>
    Object.fromEntries(
      (
        await db.policy.findMany({
          where: candidateWhere(tenantId, action),
          select: { id: true, text: true },
          orderBy: { id: "asc" },
        })
      ).map((p) => [p.id, p.text]),
    );
  const prepare = (key: string, policies: Record<string, string>) => {
    const t = performance.now();
    preparePolicySet(key, policies);
    return performance.now() - t;
  };

  let filteredParse = 0;
  const byAction = new Map<string, { key: string; size: number }>();
  for (const { name } of ACTIONS) {
    const policies = await texts(name);
    const key = `bench:${label}:${name}`;
    filteredParse += prepare(key, policies);
    byAction.set(name, { key, size: Object.keys(policies).length });
  }
  const setOf = (call: Call) => byAction.get(call.request.action) as { key: string; size: number };
  const all = await texts();
  const wholeKey = `bench:${label}:all`;
  const wholeParse = prepare(wholeKey, all);

  const evaluate = (call: Call, key: string) =>
    authorize({
      principal: { type: "Agent", id: call.agentId },
      action: { type: "Action", id: call.request.action },
      resource: { type: call.request.resource.type, id: call.request.resource.id },
      context: call.context,
      preparsedPolicySetId: key,
      validateRequest: false,
      entities: call.entities,
    });

  const decisions = { allow: 0, deny: 0 };
  let evaluationErrors = 0;
  const time = (keyOf: (call: Call) => string, check: boolean): number[] => {
    for (const call of calls) evaluate(call, keyOf(call));
    const samples: number[] = [];
    for (const call of calls) {
      const t = performance.now();
      const result = evaluate(call, keyOf(call));
      samples.push((performance.now() - t) * 1000);
      if (result.type === "failure") throw new Error(`Cedar failed: ${result.errors[0]?.message}`);
      if (check) {
        decisions[result.response.decision]++;
        evaluationErrors += result.response.diagnostics.errors.length;
        // The action filter must not change an answer: the whole set has to agree.
        const whole = evaluate(call, wholeKey);
        if (whole.type === "failure" || whole.response.decision !== result.response.decision) {
          throw new Error(`The action filter changed a decision for ${JSON.stringify(call.request)}.`);
        }
      }
    }
    return samples.sort((a, b) => a - b);
  };
  const timing = (samples: number[], parseMs: number, policiesPerCall: number): CedarTiming => ({
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    mean: samples.reduce((s, x) => s + x, 0) / samples.length,
    parseMs,
    policiesPerCall,
  });

  const filteredPolicies = calls.reduce((s, call) => s + setOf(call).size, 0);
  const filtered = time((call) => setOf(call).key, true);
  const whole = time(() => wholeKey, false);
  return {
    filtered: timing(filtered, filteredParse, filteredPolicies / calls.length),
    whole: timing(whole, wholeParse, Object.keys(all).length),
    calls: calls.length,
    decisions,
    evaluationErrors,
  };
}
