import "server-only";
import {
  createPolicySchema,
  policyListSchema,
  rollbackPolicySchema,
  simulateSchema,
  updatePolicySchema,
} from "@/lib/schemas/policies";
import { createPolicy, getPolicy, listPolicies, rollbackPolicy, updatePolicy } from "../../policies/policies";
import { simulateDecision } from "../../policies/simulate";
import { defineOperations } from "../operation";

// Cedar policies: versions, rollback, and the simulator.

export const policyOperations = defineOperations({
  listPolicies: {
    method: "GET",
    path: "/policies",
    tag: "Policies",
    summary: "Policies: global ones and those of the tenants you can read",
    query: policyListSchema,
    run: async ({ caller, query }) => ({ data: await listPolicies(caller, query) }),
  },
  createPolicy: {
    method: "POST",
    path: "/policies",
    tag: "Policies",
    summary: "Create a policy (one Cedar statement); invalid Cedar is refused naming the line",
    body: createPolicySchema,
    status: 201,
    run: ({ caller, body }) => createPolicy(caller, body),
  },
  getPolicy: {
    method: "GET",
    path: "/policies/{id}",
    tag: "Policies",
    summary: "A policy with every version",
    run: ({ caller, params }) => getPolicy(caller, params.id),
  },
  updatePolicy: {
    method: "PATCH",
    path: "/policies/{id}",
    tag: "Policies",
    summary: "Change a policy: a new version (text, name, description, enabled)",
    body: updatePolicySchema,
    run: ({ caller, params, body }) => updatePolicy(caller, params.id, body),
  },
  rollbackPolicy: {
    method: "POST",
    path: "/policies/{id}/rollback",
    tag: "Policies",
    summary: "Go back to an earlier version (written as a new version)",
    body: rollbackPolicySchema,
    run: ({ caller, params, body }) => rollbackPolicy(caller, params.id, body),
  },
  simulatePolicy: {
    method: "POST",
    path: "/policies/simulate",
    tag: "Policies",
    summary: "What would be decided for an agent, action, resource and context, with a draft policy, before saving",
    body: simulateSchema,
    run: ({ caller, body }) => simulateDecision(caller, body),
  },
});
