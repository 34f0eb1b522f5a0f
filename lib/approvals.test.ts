import { describe, expect, it } from "vitest";
import { contextRows, flatRecord, outcomeOf } from "./approvals";

describe("approval requests in the console", () => {
  it("shows an amount with its currency, then the other fields, known ones first", () => {
    expect(contextRows({ purpose: "Supplier invoice", currency: "EUR", amount: 4800, zeta: true, count: 2 })).toEqual([
      { label: "Amount", value: "4,800 EUR" },
      { label: "Purpose", value: "Supplier invoice" },
      { label: "Count", value: "2" },
      { label: "zeta", value: "true" },
    ]);
    expect(contextRows({ amount: 12 })).toEqual([{ label: "Amount", value: "12" }]);
    expect(contextRows({ currency: "USD" })).toEqual([{ label: "Currency", value: "USD" }]);
    expect(contextRows({})).toEqual([]);
  });

  it("keeps only flat values of stored JSON", () => {
    expect(flatRecord({ a: "x", b: 1, c: false, d: null, e: { f: 1 }, g: [1] })).toEqual({ a: "x", b: 1, c: false });
    expect(flatRecord(null)).toEqual({});
    expect(flatRecord([1, 2])).toEqual({});
  });

  it("says what became of a request: an approval past its window, unused, allows nothing", () => {
    const now = "2026-05-01T12:00:00.000Z";
    const approved = { status: "approved" as const, usedAt: null };
    expect(outcomeOf({ ...approved, usableUntil: "2026-05-01T12:10:00.000Z" }, now)).toMatchObject({
      label: "Approved",
      use: "Not used yet",
    });
    expect(outcomeOf({ ...approved, usableUntil: "2026-05-01T11:59:00.000Z" }, now)).toMatchObject({
      use: "Lapsed unused",
    });
    expect(outcomeOf({ status: "used", usableUntil: null, usedAt: now }, now).use).toBe("Used by the agent");
    expect(outcomeOf({ status: "denied", usableUntil: null, usedAt: null }, now)).toMatchObject({ tone: "red" });
    expect(outcomeOf({ status: "expired", usableUntil: null, usedAt: null }, now)).toEqual({
      label: "Expired",
      tone: "gray",
      use: null,
    });
  });
});
