import { describe, expect, it } from "vitest";
import {
  type ActivityPointLike,
  bucketLabel,
  chartRows,
  isPartial,
  summarizeDenials,
  summarizeVolume,
  tickLabel,
  timeTicks,
} from "./activity";

const H = 3_600_000;
const DAY = 24 * H;
const T0 = Date.UTC(2026, 11, 3, 10); // Dec 3, 10:00 UTC

function hours(
  values: [decisions: number, tokens: number, denials: number][],
  lastPartial = true,
): ActivityPointLike[] {
  return values.map(([decisions, tokens, denials], i) => ({
    t: T0 + i * H,
    decisions,
    tokens,
    denials,
    band: null,
    partial: lastPartial && i === values.length - 1,
  }));
}

describe("the bucket still filling", () => {
  it("is the one whose end is after now", () => {
    expect(isPartial(T0, 60, T0 + 59 * 60_000)).toBe(true);
    expect(isPartial(T0, 60, T0 + H)).toBe(false);
    expect(isPartial(T0, 1440, T0 + 23 * H)).toBe(true);
  });

  it("is drawn as a dashed segment from the last complete bucket, not as a drop in the solid line", () => {
    const rows = chartRows(
      hours([
        [300, 12, 1],
        [280, 10, 0],
        [40, 2, 0],
      ]),
    );
    expect(rows.map((r) => [r.decisions, r.decisionsSoFar])).toEqual([
      [300, null],
      [280, 280],
      [null, 40],
    ]);
    expect(rows.map((r) => [r.tokens, r.tokensSoFar])).toEqual([
      [12, null],
      [10, 10],
      [null, 2],
    ]);
    expect(rows.map((r) => r.partial)).toEqual([false, false, true]);
  });

  it("leaves a range with every bucket complete solid", () => {
    const rows = chartRows(
      hours(
        [
          [3, 1, 0],
          [4, 1, 0],
        ],
        false,
      ),
    );
    expect(rows.every((r) => r.decisionsSoFar === null && r.decisions !== null)).toBe(true);
  });
});

describe("time ticks", () => {
  it("fall every three hours over a day, each midnight over a week, every fifth day over a month", () => {
    expect(timeTicks(T0, T0 + 23 * H, 60).map((t) => tickLabel(t, 60))).toEqual([
      "12:00",
      "15:00",
      "18:00",
      "21:00",
      "Dec 4",
      "03:00",
      "06:00",
      "09:00",
    ]);
    const week = timeTicks(T0, T0 + 7 * DAY - H, 60);
    expect(week.map((t) => tickLabel(t, 60))).toEqual(["Dec 4", "Dec 5", "Dec 6", "Dec 7", "Dec 8", "Dec 9", "Dec 10"]);
    const start = Date.UTC(2026, 10, 5);
    expect(timeTicks(start, start + 29 * DAY, 1440).map((t) => tickLabel(t, 1440))).toHaveLength(6);
  });
});

describe("the tooltip's heading", () => {
  it("names the bucket in UTC and says when it is still filling", () => {
    expect(bucketLabel(T0, 60)).toBe("Dec 3, 10:00–11:00 UTC");
    expect(bucketLabel(T0 + 14 * H, 60, true)).toBe("Dec 4, 00:00–01:00 UTC, in progress: so far");
    expect(bucketLabel(Date.UTC(2026, 11, 3), 1440, true)).toBe("Dec 3 (UTC), in progress: so far");
  });
});

describe("the text summaries", () => {
  it("say the totals, the busiest bucket, the anomalies and the bucket in progress", () => {
    const points = hours([
      [300, 12, 1],
      [1280, 10, 0],
      [40, 2, 6],
    ]);
    expect(summarizeVolume(points, 60, 2)).toBe(
      "Last 3 hours: 1,620 decisions and 24 tokens issued. Busiest hour: Dec 3, 11:00–12:00 UTC, 1,280 decisions. 2 anomalies marked. The last hour is still in progress.",
    );
    expect(summarizeDenials(points, 60)).toBe(
      "7 denied decisions in the last 3 hours; the most in one hour: 6, Dec 3, 12:00–13:00 UTC.",
    );
  });

  it("say so when nothing happened", () => {
    const quiet = hours(
      [
        [0, 0, 0],
        [0, 0, 0],
      ],
      false,
    );
    expect(summarizeVolume(quiet, 60)).toBe("Last 2 hours: 0 decisions and 0 tokens issued.");
    expect(summarizeDenials(quiet, 60)).toBe("No decision was denied in the last 2 hours.");
  });
});
