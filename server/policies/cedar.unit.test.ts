import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import { describe, expect, it } from "vitest";
import { analyzePolicy } from "./cedar";
import { cedarSchema } from "./cedar-schema";

const ACTIONS = ["email.send", "documents.read", "payments.create"];

describe("cedarSchema", () => {
  it("parses, with one action per scope", () => {
    expect(cedar.checkParseSchema(cedarSchema(ACTIONS))).toEqual({ type: "success" });
    expect(cedar.checkParseSchema(cedarSchema([]))).toEqual({ type: "success" });
  });
});

describe("analyzePolicy", () => {
  it("accepts a valid policy and reads its effect, actions and approval mark", () => {
    const a = analyzePolicy(
      `@needs_approval
permit (principal is Agent, action == Action::"payments.create", resource is Payment)
when { context has amount && context.amount > 1000 };`,
      ACTIONS,
    );
    expect(a).toMatchObject({ ok: true, effect: "permit", actions: ["payments.create"], requiresApproval: true });
    const b = analyzePolicy(
      `forbid (principal, action in [Action::"email.send", Action::"documents.read"], resource)
when { principal.environment == "production" && (context.hour < 8 || context.hour >= 18) };`,
      ACTIONS,
    );
    expect(b).toMatchObject({ ok: true, effect: "forbid", requiresApproval: false });
    expect(b.actions.sort()).toEqual(["documents.read", "email.send"]);
  });

  it("names the line and column of a syntax error and of a schema error", () => {
    const syntax = analyzePolicy(`permit (principal, action, resource)\nwhen { context.hour < };`, ACTIONS);
    expect(syntax.ok).toBe(false);
    expect(syntax.problems[0].line).toBe(2);
    const typed = analyzePolicy(
      `permit (principal is Agent, action == Action::"email.send", resource)\nwhen {\n  context.hours < 18\n};`,
      ACTIONS,
    );
    expect(typed.ok).toBe(false);
    expect(typed.problems[0]).toMatchObject({ line: 3 });
    expect(typed.problems[0].message).toMatch(/hours/);
    const unknownAction = analyzePolicy(`permit (principal, action == Action::"rockets.launch", resource);`, ACTIONS);
    expect(unknownAction.ok).toBe(false);
  });

  it("refuses two statements in one policy", () => {
    const two = analyzePolicy(`permit (principal, action, resource);\nforbid (principal, action, resource);`, ACTIONS);
    expect(two.ok).toBe(false);
    expect(two.problems[0].message).toMatch(/exactly one/);
  });
});
