import { describe, expect, it } from "vitest";
import { formatDate, formatUtc } from "./format";

describe("console formatting", () => {
  it("shows timestamps to the minute in UTC, from a Date or an ISO string", () => {
    expect(formatUtc(new Date("2026-11-22T17:45:59.999Z"))).toBe("2026-11-22 17:45 UTC");
    expect(formatUtc("2026-01-02T03:04:05.000Z")).toBe("2026-01-02 03:04 UTC");
    expect(formatUtc(null)).toBe("—");
  });

  it("shows dates as YYYY-MM-DD", () => {
    expect(formatDate("2026-11-22T23:59:00.000Z")).toBe("2026-11-22");
    expect(formatDate(undefined)).toBe("—");
  });
});
