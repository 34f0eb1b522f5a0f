import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS, AUDIT_FAMILIES, actionsOf, auditFilterSchema } from "./audit";

// The action filter's families: a family is every event that changed what it names. Guards
// against grant.* missing the revocations made by consent withdrawal and the kill switch (it
// once matched only the actions spelled grant.…).

describe("audit families", () => {
  it("grant.* is every event that created or revoked grants", () => {
    expect(actionsOf("grant.*").sort()).toEqual(
      [
        "grant.revoke",
        "grant.revoke_user",
        "grant.revoked",
        "consent.granted",
        "consent.withdraw",
        "agent.kill",
        "user.deactivate",
        "tenant.member.remove",
      ].sort(),
    );
  });

  it("tokens, agents, people and roles count the events that change them under other names", () => {
    expect(actionsOf("oauth.*")).toEqual(
      expect.arrayContaining(["oauth.token.issued", "consent.withdraw", "agent.kill", "automation_client.revoke"]),
    );
    expect(actionsOf("agent.*")).toEqual(
      expect.arrayContaining(["agent.update", "agent.credential.create", "consent.withdraw", "user.deactivate"]),
    );
    expect(actionsOf("user.*")).toEqual(expect.arrayContaining(["user.create", "tenant.member.remove"]));
    expect(actionsOf("role.*")).toEqual(expect.arrayContaining(["role.update", "agent.role.assign", "scope.delete"]));
    // What does not change grants stays out of grant.*.
    expect(actionsOf("grant.*")).not.toContain("agent.update");
    expect(actionsOf("grant.*")).not.toContain("decision.evaluate");
  });

  it("every action recorded belongs to a family, and every family names actions of the catalog", () => {
    for (const action of Object.keys(AUDIT_ACTIONS)) {
      const family = action.split(".")[0];
      expect(AUDIT_FAMILIES, action).toHaveProperty(family);
      expect(actionsOf(`${family}.*`), action).toContain(action);
    }
    for (const [family, { also = {} }] of Object.entries(AUDIT_FAMILIES)) {
      expect(actionsOf(`${family}.*`).length, family).toBeGreaterThan(0);
      for (const action of Object.keys(also)) expect(AUDIT_ACTIONS, `${family}: ${action}`).toHaveProperty(action);
    }
  });

  it("a longer prefix names the catalog's actions under it; a family of nothing is refused", () => {
    expect(actionsOf("agent.credential.*").sort()).toEqual(["agent.credential.create", "agent.credential.revoke"]);
    expect(actionsOf("agent.update")).toEqual(["agent.update"]);
    expect(actionsOf("constructor")).toEqual([]);
    expect(auditFilterSchema.safeParse({ action: "grant.*" }).success).toBe(true);
    const unknown = auditFilterSchema.safeParse({ action: "payroll.*" });
    expect(unknown.success).toBe(false);
    expect(unknown.error?.issues[0]).toMatchObject({ path: ["action"], message: expect.stringMatching(/family/) });
  });
});
