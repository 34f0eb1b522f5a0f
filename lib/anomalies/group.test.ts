import { describe, expect, it } from "vitest";
import { auditHref, describeWindow, type Groupable, groupAnomalies } from "./group";

const guide = { id: "a-guide", name: "onboarding-guide" };
const crm = { id: "a-crm", name: "crm-sync" };

function anomaly(
  id: string,
  agent: Groupable["agent"],
  kind: string,
  start: string,
  hours: number,
  severity: Groupable["severity"] = "high",
  status = "open",
): Groupable {
  const end = new Date(Date.parse(start) + hours * 3_600_000).toISOString();
  return { id, agent, kind, severity, status, windowStart: new Date(start).toISOString(), windowEnd: end };
}

describe("grouping open anomalies", () => {
  const rows = [
    anomaly("g1", guide, "owner_departed", "2026-12-02T00:00Z", 24),
    anomaly("c1", crm, "volume_spike", "2026-12-03T22:00Z", 1, "medium"),
    anomaly("g3", guide, "owner_departed", "2026-12-04T00:00Z", 24, "high", "acknowledged"),
    anomaly("c2", crm, "denial_spike", "2026-12-02T22:00Z", 1, "high"),
    anomaly("g2", guide, "owner_departed", "2026-12-03T00:00Z", 24),
    anomaly("c3", crm, "volume_spike", "2026-12-01T03:00Z", 1, "low", "acknowledged"),
  ];

  it("makes one row per agent and kind, worst first, then the most recent", () => {
    const groups = groupAnomalies(rows);
    expect(groups.map((g) => [g.agent.name, g.kind, g.span])).toEqual([
      ["onboarding-guide", "owner_departed", "3 days"],
      ["crm-sync", "denial_spike", "1 hour"],
      ["crm-sync", "volume_spike", "2 hours"],
    ]);
  });

  it("keeps the group's items newest first, its worst severity, and its whole window", () => {
    const [guideGroup, , spikes] = groupAnomalies(rows);
    expect(guideGroup.items.map((a) => a.id)).toEqual(["g3", "g2", "g1"]);
    expect(guideGroup.latest.id).toBe("g3");
    expect(guideGroup).toMatchObject({
      from: "2026-12-02T00:00:00.000Z",
      to: "2026-12-05T00:00:00.000Z",
      status: "open",
    });
    expect(spikes).toMatchObject({ severity: "medium", status: "open" });
  });

  it("is acknowledged only when every anomaly of it is", () => {
    const [only] = groupAnomalies([
      anomaly("x", crm, "out_of_scope", "2026-12-01T03:00Z", 1, "low", "acknowledged"),
      anomaly("y", crm, "out_of_scope", "2026-12-01T05:00Z", 1, "low", "acknowledged"),
    ]);
    expect(only.status).toBe("acknowledged");
  });

  it("is empty for no anomalies", () => {
    expect(groupAnomalies([])).toEqual([]);
  });
});

describe("a group's audit link and window", () => {
  it("opens the agent's events from the first window's start to the last one's end", () => {
    const href = auditHref("acme", { agent: crm, from: "2026-12-03T22:00:00.000Z", to: "2026-12-03T23:00:00.000Z" });
    const url = new URL(href, "http://x");
    expect(url.pathname).toBe("/acme/audit");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      agent: "a-crm",
      from: "2026-12-03T22:00:00.000Z",
      to: "2026-12-03T23:00:00.000Z",
    });
  });

  it("is said in UTC, with the day once when it is one day", () => {
    expect(describeWindow("2026-12-03T22:00:00.000Z", "2026-12-03T23:00:00.000Z")).toBe("2026-12-03 22:00–23:00 UTC");
    expect(describeWindow("2026-12-03T23:00:00.000Z", "2026-12-04T00:00:00.000Z")).toBe("2026-12-03 23:00–00:00 UTC");
    expect(describeWindow("2026-12-02T00:00:00.000Z", "2026-12-05T00:00:00.000Z")).toBe(
      "2026-12-02 00:00 – 2026-12-05 00:00 UTC",
    );
  });
});
