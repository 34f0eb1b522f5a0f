import { describe, expect, it } from "vitest";
import { change, describeChange, describeSeverities, headlineLinks, headlineWindows, share, totalOf } from "./headline";

describe("the headline's windows", () => {
  it("are the current hour so far with the 23 before it, and the 24 whole hours before those", () => {
    const now = new Date("2026-03-14T09:41:07.000Z");
    const { last, previous } = headlineWindows(now);
    expect(last).toEqual({ from: new Date("2026-03-13T10:00:00.000Z"), to: now });
    expect(previous).toEqual({
      from: new Date("2026-03-12T10:00:00.000Z"),
      to: new Date("2026-03-13T10:00:00.000Z"),
    });
  });

  it("start a full hour earlier on the hour itself (the current hour has just begun)", () => {
    const { last } = headlineWindows(new Date("2026-03-14T09:00:00.000Z"));
    expect(last.from.toISOString()).toBe("2026-03-13T10:00:00.000Z");
  });
});

describe("the change against the 24 hours before", () => {
  it("is a whole per cent of the previous count, signed by its direction", () => {
    expect(change(1150, 1000)).toEqual({ current: 1150, previous: 1000, delta: 150, percent: 15, trend: "up" });
    expect(change(3, 12)).toMatchObject({ delta: -9, percent: -75, trend: "down" });
    expect(change(7, 7)).toMatchObject({ delta: 0, percent: 0, trend: "flat" });
  });

  it("has no per cent when there was nothing before", () => {
    expect(change(40, 0)).toMatchObject({ percent: null, trend: "up" });
    expect(describeChange(change(40, 0))).toBe("none the 24 h before");
    expect(describeChange(change(0, 0))).toBe("none the 24 h before either");
  });

  it("reads as people say it", () => {
    expect(describeChange(change(1150, 1000))).toBe("+15% on the 24 h before (1,000)");
    expect(describeChange(change(3, 12))).toBe("−75% on the 24 h before (12)");
    expect(describeChange(change(7, 7))).toBe("same as the 24 h before");
    // Too small to round to a per cent, but still a change.
    expect(describeChange(change(10_001, 10_000))).toBe("+<1% on the 24 h before (10,000)");
    expect(describeChange(change(0, 5))).toBe("−100% on the 24 h before (5)");
  });
});

describe("shares", () => {
  it("are per cents with one decimal, and nothing for an empty whole", () => {
    expect(share(42, 1000)).toBe("4.2%");
    expect(share(1, 3)).toBe("33.3%");
    expect(share(5, 5)).toBe("100%");
    expect(share(0, 80)).toBe("0%");
    expect(share(1, 5000)).toBe("<0.1%");
    expect(share(0, 0)).toBeNull();
  });
});

describe("severities", () => {
  it("are told worst first, leaving out the empty ones", () => {
    expect(describeSeverities({ high: 2, medium: 0, low: 1 })).toBe("2 high · 1 low");
    expect(describeSeverities({ high: 0, medium: 0, low: 0 })).toBe("none open");
    expect(totalOf({ high: 2, medium: 3, low: 1 })).toBe(6);
  });
});

describe("the cards' links", () => {
  it("open the lists filtered as the cards count", () => {
    const now = new Date("2026-03-14T09:41:07.000Z");
    const links = headlineLinks("acme", headlineWindows(now), now);
    expect(links.agents).toBe("/acme/agents?status=active");
    expect(links.approvals).toBe("/acme/approvals");
    expect(links.anomalies).toBe("/acme#open-anomalies");
    const denials = new URL(links.denials, "http://x");
    expect(denials.pathname).toBe("/acme/audit");
    expect(Object.fromEntries(denials.searchParams)).toEqual({
      action: "decision.evaluate",
      outcome: "denied",
      from: "2026-03-13T10:00:00.000Z",
    });
    expect(Object.fromEntries(new URL(links.tokens, "http://x").searchParams)).toEqual({
      action: "oauth.token.issued",
      from: "2026-03-14T08:41:07.000Z",
    });
  });
});
