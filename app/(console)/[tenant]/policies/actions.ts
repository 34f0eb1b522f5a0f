"use server";

import type { ActionResult } from "@/lib/action-result";
import type { PolicyCheck } from "@/lib/policy-problems";
import type { CreatePolicyInput, SimulateInput, UpdatePolicyInput } from "@/lib/schemas/policies";
import { runAction } from "@/server/actions";
import { createPolicy, rollbackPolicy, updatePolicy, validatePolicyText } from "@/server/policies/policies";
import { type SimulationResult, simulateDecision } from "@/server/policies/simulate";

// Console actions for policies: each wraps one domain function, which validates the input and
// the Cedar text, checks the caller's role for the policy's tenant (or for global policies), and
// audits. Validation and simulation store nothing.

const POLICY_PAGES = { revalidate: ["/[tenant]/policies", "layout"] } as const;

export async function validatePolicyAction(text: string): Promise<ActionResult<PolicyCheck>> {
  return runAction((caller) => validatePolicyText(caller, { text }));
}

export async function simulatePolicyAction(input: SimulateInput): Promise<ActionResult<SimulationResult>> {
  return runAction((caller) => simulateDecision(caller, input));
}

export async function createPolicyAction(input: CreatePolicyInput): Promise<ActionResult<{ id: string }>> {
  return runAction(async (caller) => ({ id: (await createPolicy(caller, input)).id }), POLICY_PAGES);
}

export async function updatePolicyAction(
  id: string,
  input: UpdatePolicyInput,
): Promise<ActionResult<{ version: number }>> {
  return runAction(async (caller) => ({ version: (await updatePolicy(caller, id, input)).version }), POLICY_PAGES);
}

export async function setPolicyEnabledAction(
  id: string,
  enabled: boolean,
  note: string,
): Promise<ActionResult<{ version: number }>> {
  return runAction(
    async (caller) => ({ version: (await updatePolicy(caller, id, { enabled, note })).version }),
    POLICY_PAGES,
  );
}

export async function rollbackPolicyAction(
  id: string,
  version: number,
  note: string,
): Promise<ActionResult<{ version: number }>> {
  return runAction(
    async (caller) => ({ version: (await rollbackPolicy(caller, id, { version, note })).version }),
    POLICY_PAGES,
  );
}
