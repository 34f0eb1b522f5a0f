import { describe, expect, it } from "vitest";
import { formatAgo, formatDate, formatUtc } from "./format";

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

  it("says how long ago, coarsely", () => {
    const now = "2026-11-22T12:00:00.000Z";
    expect(formatAgo(null, now)).toBe("Never");
    expect(formatAgo("2026-11-22T11:59:30.000Z", now)).toBe("just now");
    expect(formatAgo("2026-11-22T11:35:00.000Z", now)).toBe("25 min ago");
    expect(formatAgo("2026-11-22T08:00:00.000Z", now)).toBe("4 h ago");
    expect(formatAgo("2026-11-19T12:00:00.000Z", now)).toBe("3 days ago");
  });
});
