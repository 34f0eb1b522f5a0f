import { describe, expect, it } from "vitest";
import { formatDuration, formatRelative } from "./durations";

describe("formatDuration", () => {
  it("uses the largest whole unit", () => {
    expect(formatDuration(600)).toBe("10 minutes");
    expect(formatDuration(60)).toBe("1 minute");
    expect(formatDuration(3600)).toBe("1 hour");
    expect(formatDuration(90)).toBe("90 seconds");
    expect(formatDuration(1)).toBe("1 second");
  });
});

describe("formatRelative", () => {
  const now = "2026-01-01T12:00:00.000Z";
  it("rounds down, so a token about to expire is not shown as having longer", () => {
    expect(formatRelative("2026-01-01T12:09:59.900Z", now)).toBe("in 9 minutes");
    expect(formatRelative("2026-01-01T12:00:45.000Z", now)).toBe("in 45 seconds");
    expect(formatRelative("2026-01-01T14:30:00.000Z", now)).toBe("in 2 hours");
    expect(formatRelative("2026-01-04T12:00:00.000Z", now)).toBe("in 3 days");
  });
  it("says 'ago' for the past", () => {
    expect(formatRelative("2026-01-01T11:59:00.000Z", now)).toBe("1 minute ago");
    expect(formatRelative(new Date("2026-01-01T09:00:00.000Z"), new Date(now))).toBe("3 hours ago");
  });
});
