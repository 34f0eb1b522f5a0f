import { describe, expect, it } from "vitest";
import { toJson } from "./json";

describe("toJson", () => {
  it("speaks snake_case with ISO dates, and keeps agents' own attribute names as given", () => {
    const at = new Date("2026-11-22T10:00:00.000Z");
    expect(
      toJson({
        tokenTtlSeconds: 600,
        reviewDueAt: at,
        owner: { deactivatedAt: null },
        history: [{ fromStatus: "pending", at }],
        attributes: { dataClass: "internal", costCentre: 42 },
        id: 7n,
      }),
    ).toEqual({
      token_ttl_seconds: 600,
      review_due_at: "2026-11-22T10:00:00.000Z",
      owner: { deactivated_at: null },
      history: [{ from_status: "pending", at: "2026-11-22T10:00:00.000Z" }],
      attributes: { dataClass: "internal", costCentre: 42 },
      id: "7",
    });
  });
});
