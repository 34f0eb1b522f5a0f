import "server-only";
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import { cedarSchema } from "./cedar-schema";

// Cedar through its WebAssembly build: parsing, validation with line numbers, and evaluation
// against policy sets parsed once and kept by content (a changed set is a new key, so nothing
// stale is ever evaluated).

export interface PolicyProblem {
  message: string;
  help: string | null;
  line: number | null;
  column: number | null;
}

export interface PolicyAnalysis {
  ok: boolean;
  problems: PolicyProblem[];
  effect: "permit" | "forbid" | null;
  actions: string[];
  requiresApproval: boolean;
}

function position(text: string, offset: number | undefined): { line: number | null; column: number | null } {
  if (offset === undefined) return { line: null, column: null };
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

function problems(text: string, errors: cedar.DetailedError[]): PolicyProblem[] {
  return errors.map((e) => {
    const at = e.sourceLocations?.[0];
    const detail = at?.label ? ` (${at.label})` : "";
    // Cedar names the policy by its id in the set ("for policy `policy`, …"): noise here.
    const message = e.message.replace(/^for policy `[^`]*`,\s*/, "");
    return { message: `${message}${detail}`, help: e.help, ...position(text, at?.start) };
  });
}

type ActionConstraint =
  | { op: "All" }
  | { op: "=="; entity: { type: string; id: string } }
  | { op: "in"; entity?: { type: string; id: string }; entities?: { type: string; id: string }[] };

/**
 * Parses one policy and validates it against the schema for these actions. Exactly one Cedar
 * statement per policy; errors name their line and column.
 */
export function analyzePolicy(text: string, actions: readonly string[]): PolicyAnalysis {
  const empty = { effect: null, actions: [] as string[], requiresApproval: false };
  const parts = cedar.policySetTextToParts(text);
  if (parts.type === "failure") return { ok: false, problems: problems(text, parts.errors), ...empty };
  if (parts.policies.length !== 1 || parts.policy_templates.length) {
    return {
      ok: false,
      problems: [
        {
          message: `A policy holds exactly one permit or forbid statement; this text holds ${parts.policies.length + parts.policy_templates.length}.`,
          help:
            parts.policies.length + parts.policy_templates.length ? "Split it into several policies." : "Write one.",
          line: null,
          column: null,
        },
      ],
      ...empty,
    };
  }
  const json = cedar.policyToJson(text);
  if (json.type === "failure") return { ok: false, problems: problems(text, json.errors), ...empty };
  const policy = json.json;
  const constraint = policy.action as ActionConstraint;
  const named =
    constraint.op === "=="
      ? [constraint.entity.id]
      : constraint.op === "in"
        ? [...(constraint.entities ?? []), ...(constraint.entity ? [constraint.entity] : [])].map((e) => e.id)
        : [];
  const validation = cedar.validate({
    schema: cedarSchema(actions),
    policies: { staticPolicies: { policy: text } },
    validationSettings: { mode: "strict" },
  });
  const found =
    validation.type === "failure"
      ? problems(text, validation.errors)
      : problems(
          text,
          validation.validationErrors.map((v) => v.error),
        );
  return {
    ok: found.length === 0,
    problems: found,
    effect: policy.effect,
    actions: named,
    requiresApproval: policy.effect === "permit" && !!policy.annotations && "needs_approval" in policy.annotations,
  };
}

const prepared = new Set<string>();

/** Parses a policy set once per content key (LRU-free: keys are few and sets small). */
export function preparePolicySet(key: string, policies: Record<string, string>): void {
  if (prepared.has(key)) return;
  const result = cedar.preparsePolicySet(key, { staticPolicies: policies });
  if (result.type === "failure") throw new Error(`policy set ${key} failed to parse: ${result.errors[0]?.message}`);
  if (prepared.size > 5000) prepared.clear();
  prepared.add(key);
}

export function isPrepared(key: string): boolean {
  return prepared.has(key);
}

export function authorize(call: cedar.StatefulAuthorizationCall): cedar.AuthorizationAnswer {
  return cedar.statefulIsAuthorized(call);
}

export type { EntityJson } from "@cedar-policy/cedar-wasm/nodejs";
