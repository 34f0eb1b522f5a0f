import { describe, expect, it } from "vitest";
import { AGENT_STATUSES, canTransition, reviewState, TRANSITION_NAMES, transitionError } from "./agent-lifecycle";

describe("agent lifecycle", () => {
  const legal = new Set([
    "pending:activate",
    "active:suspend",
    "suspended:resume",
    "pending:retire",
    "active:retire",
    "suspended:retire",
  ]);

  for (const status of AGENT_STATUSES) {
    for (const transition of TRANSITION_NAMES) {
      const key = `${status}:${transition}`;
      it(`${legal.has(key) ? "allows" : "refuses"} ${transition} from ${status}`, () => {
        expect(canTransition(status, transition)).toBe(legal.has(key));
      });
    }
  }

  it("explains a refused transition in words", () => {
    expect(transitionError("retired", "resume")).toBe("This agent is retired; retirement is final.");
    expect(transitionError("active", "resume")).toBe(
      "Cannot resume an agent that is active: only a suspended agent can be resumed.",
    );
    expect(transitionError("pending", "suspend")).toBe(
      "Cannot suspend an agent that is pending: only an active agent can be suspended.",
    );
  });
});

describe("review state", () => {
  const now = new Date("2026-06-01T12:00:00Z");
  const inDays = (d: number) => new Date(now.getTime() + d * 86_400_000);

  it.each([
    [null, "none"],
    [inDays(30), "ok"],
    [inDays(14.5), "ok"],
    [inDays(14), "due"],
    [inDays(1), "due"],
    [inDays(0), "overdue"],
    [inDays(-3), "overdue"],
  ] as const)("%s → %s", (date, state) => {
    expect(reviewState(date, now)).toBe(state);
  });
});
