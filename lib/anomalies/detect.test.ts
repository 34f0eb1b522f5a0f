import { describe, expect, it } from "vitest";
import { seededRandom } from "../seeded-random";
import {
  type Bucket,
  baseline,
  classifyNewAddresses,
  DAY_MS,
  detectHour,
  detectNewAddresses,
  HOUR_MS,
  mad,
  median,
  networkOf,
  newSourceIps,
  robustZ,
} from "./detect";

// Synthetic series: an agent with a working day (busy 8:00–18:00 UTC, quiet at night), a little
// noise, over two weeks. A detector worth having flags a spike and leaves the daily rhythm alone.

const START = Date.UTC(2026, 10, 1);

function workingDay(days: number, seed = 7): Bucket[] {
  const rnd = seededRandom(seed);
  const out: Bucket[] = [];
  for (let h = 0; h < days * 24; h++) {
    const hour = h % 24;
    const busy = hour >= 8 && hour < 18;
    // A morning peak (9–11) on top of the working day.
    const level = busy ? (hour >= 9 && hour < 11 ? 400 : 150) : 3;
    const decisions = Math.round(level * (0.85 + 0.3 * rnd()));
    out.push({
      start: START + h * HOUR_MS,
      tokens: Math.round(decisions / 20),
      decisions,
      denials: Math.round(decisions * 0.02 * rnd()),
      outOfScope: 0,
    });
  }
  return out;
}

describe("robust statistics", () => {
  it("median, MAD and z are robust to an outlier in the history", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(mad([1, 1, 1, 1, 1000])).toBe(0);
    expect(baseline([10, 10, 10, 10, 10, 10, 1000]).expected).toBe(10);
    expect(robustZ(100, [10, 11, 9, 10, 12, 10, 1000])).toBeGreaterThan(20);
    // Flat or empty history: the spread falls back to Poisson, and never below 1.
    expect(baseline([0, 0, 0]).spread).toBe(1);
    expect(baseline([100, 100, 100]).spread).toBe(10);
  });
});

describe("the detector on an agent with a daily rhythm", () => {
  const series = workingDay(14);

  it("does not flag the daily seasonality: mornings, evenings and nights over a week", () => {
    const flagged = [];
    for (let h = 7 * 24; h < 14 * 24; h++) flagged.push(...detectHour(series, START + h * HOUR_MS));
    expect(flagged).toEqual([]);
  });

  it("catches a spike at night, exactly in its hour", () => {
    const at = START + (12 * 24 + 3) * HOUR_MS; // day 12, 03:00
    const spiked = series.map((b) => (b.start === at ? { ...b, decisions: 900 } : b));
    const flagged = [];
    for (let h = 7 * 24; h < 14 * 24; h++) flagged.push(...detectHour(spiked, START + h * HOUR_MS));
    expect(flagged).toHaveLength(1);
    expect(flagged[0]).toMatchObject({ kind: "volume_spike", severity: "high", windowStart: at, observed: 900 });
    expect(flagged[0].expected).toBeLessThan(10);
  });

  it("catches a spike in a busy hour only when it is well beyond that hour's usual", () => {
    const at = START + (12 * 24 + 10) * HOUR_MS; // day 12, 10:00, usually ~400
    const modest = series.map((b) => (b.start === at ? { ...b, decisions: 480 } : b));
    expect(detectHour(modest, at)).toEqual([]);
    const large = series.map((b) => (b.start === at ? { ...b, decisions: 2000 } : b));
    expect(detectHour(large, at).map((f) => f.kind)).toEqual(["volume_spike"]);
  });

  it("flags a denial spike, out-of-scope attempts, and activity at an hour the agent never works", () => {
    const at = START + (12 * 24 + 14) * HOUR_MS;
    const denied = series.map((b) => (b.start === at ? { ...b, denials: 120 } : b));
    expect(detectHour(denied, at).map((f) => f.kind)).toEqual(["denial_spike"]);
    const probing = series.map((b) => (b.start === at ? { ...b, outOfScope: 12 } : b));
    expect(detectHour(probing, at)).toMatchObject([{ kind: "out_of_scope", severity: "high", observed: 12 }]);

    // An agent that only ever works 9–17 on weekdays-like days, suddenly busy at 02:00.
    const office: Bucket[] = workingDay(14).map((b) => {
      const hour = new Date(b.start).getUTCHours();
      return hour >= 8 && hour < 18 ? b : { ...b, tokens: 0, decisions: 0, denials: 0 };
    });
    const night = START + (13 * 24 + 2) * HOUR_MS;
    const awake = office.map((b) => (b.start === night ? { ...b, decisions: 15 } : b));
    expect(detectHour(awake, night)).toMatchObject([{ kind: "outside_usual_hours", severity: "low" }]);
  });

  it("does not judge an agent without history by its habits, nor its first busy days as spikes", () => {
    const young = workingDay(2).filter((b) => b.start >= START + DAY_MS);
    const at = START + (1 * 24 + 3) * HOUR_MS;
    expect(detectHour(young, at).filter((f) => f.kind === "outside_usual_hours")).toEqual([]);
    // A new agent's first days: busy mornings with nothing before them are not spikes.
    const fresh = workingDay(14).filter((b) => b.start >= START + 10 * DAY_MS);
    const flagged = [];
    for (let h = 10 * 24; h < 14 * 24; h++) flagged.push(...detectHour(fresh, START + h * HOUR_MS));
    expect(flagged).toEqual([]);
  });
});

describe("new source addresses", () => {
  it("are the ones not seen before the window", () => {
    expect(newSourceIps(new Set(["10.0.0.1"]), ["10.0.0.1", "203.0.113.9", "203.0.113.9"])).toEqual(["203.0.113.9"]);
  });

  it("tell a new address in a known network from a new network", () => {
    expect(networkOf("203.0.113.9")).toBe("203.0.113.0/24");
    expect(networkOf("::ffff:10.1.2.3")).toBe("10.1.2.0/24");
    expect(networkOf("2001:db8:abcd:12::1")).toBe("2001:db8:abcd::/48");
    expect(classifyNewAddresses(["10.0.0.1"], ["10.0.0.7", "198.51.100.77", "10.0.0.1"])).toEqual([
      { ip: "10.0.0.7", newNetwork: false },
      { ip: "198.51.100.77", newNetwork: true },
    ]);
  });
});

describe("the new-address finding", () => {
  const at = START + 10 * DAY_MS + 14 * HOUR_MS;
  const seen = (ip: string, hoursBefore: number) => ({ ip, firstSeen: at - hoursBefore * HOUR_MS });

  it("is never raised for a brand-new agent's first address", () => {
    expect(detectNewAddresses([{ ip: "203.0.113.9", firstSeen: at + 5 * 60_000 }], at)).toBeNull();
    // Its first hour, from two addresses at once: both are how its addresses are learnt.
    expect(
      detectNewAddresses(
        [
          { ip: "203.0.113.9", firstSeen: at + 60_000 },
          { ip: "::1", firstSeen: at + 120_000 },
        ],
        at,
      ),
    ).toBeNull();
  });

  it("is not raised while the agent has no history yet (seen for less than a day)", () => {
    expect(detectNewAddresses([seen("10.0.0.1", 3), { ip: "198.51.100.7", firstSeen: at + 60_000 }], at)).toBeNull();
    expect(detectNewAddresses([seen("10.0.0.1", 23), { ip: "198.51.100.7", firstSeen: at + 60_000 }], at)).toBeNull();
  });

  it("is raised for an agent with history: low in a network it uses, medium in a new one", () => {
    const known = [seen("10.0.0.1", 48), seen("10.0.0.2", 30)];
    expect(detectNewAddresses([...known, { ip: "10.0.0.9", firstSeen: at + 60_000 }], at)).toMatchObject({
      kind: "new_source_ip",
      severity: "low",
      windowStart: at,
      windowEnd: at + HOUR_MS,
      observed: 1,
    });
    expect(
      detectNewAddresses([...known, { ip: "198.51.100.7", firstSeen: at + 60_000 }, seen("10.0.0.1", 0)], at),
    ).toMatchObject({
      severity: "medium",
      detail: "First seen from 198.51.100.7, in a network it has not used before.",
    });
    // Exactly a day of history is enough.
    expect(detectNewAddresses([seen("10.0.0.1", 24), { ip: "198.51.100.7", firstSeen: at }], at)).not.toBeNull();
  });

  it("is not raised when nothing new was seen in the hour", () => {
    expect(detectNewAddresses([seen("10.0.0.1", 48), { ip: "10.0.0.5", firstSeen: at + HOUR_MS }], at)).toBeNull();
  });
});
