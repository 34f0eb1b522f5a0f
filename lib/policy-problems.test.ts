import { describe, expect, it } from "vitest";
import { cleanProblem, describeProblem, problemsFromMessages } from "./policy-problems";

describe("policy problems in the editor", () => {
  it("drops Cedar's internal policy id from the message", () => {
    const p = cleanProblem({
      message: 'for policy `policy`, attribute `amounts` in context for Action::"payments.create" not found',
      help: "did you mean `amount`?",
      line: 2,
      column: 8,
    });
    expect(p.message).toBe('attribute `amounts` in context for Action::"payments.create" not found');
    expect(describeProblem(p)).toBe(
      'Line 2, col 8: attribute `amounts` in context for Action::"payments.create" not found — did you mean `amount`?',
    );
  });

  it("says no position when Cedar gives none", () => {
    expect(describeProblem({ message: "Holds 2 statements.", help: null, line: null, column: null })).toBe(
      "Holds 2 statements.",
    );
  });

  it("reads the line and column back from a save error, so the gutter can mark the line", () => {
    expect(
      problemsFromMessages(["Line 3, column 12: for policy `policy`, unexpected token (did you mean x?)", "Other"]),
    ).toEqual([
      { line: 3, column: 12, message: "unexpected token (did you mean x?)", help: null },
      { line: null, column: null, message: "Other", help: null },
    ]);
  });
});
