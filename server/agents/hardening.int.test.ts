import { beforeAll, describe, expect, it } from "vitest";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { makeAgent, makeCaller, makeTenant, unique } from "@/tests/factories";
import type { Caller } from "../auth/caller";
import { listRoles } from "../catalog/roles";
import { createScope, listScopes } from "../catalog/scopes";
import { prisma } from "../db";
import { deactivateUser } from "../users/deactivate-user";
import { createAgent } from "./create-agent";
import { createCredential } from "./credentials";
import { getAgentDetail } from "./get-agent";
import { listAgents } from "./list-agents";
import { transitionAgent } from "./transition-agent";

// Regression tests for gaps found while testing the registry.
let tenant: Awaited<ReturnType<typeof makeTenant>>;
let admin: Caller;
let owner: Caller;

beforeAll(async () => {
  tenant = await makeTenant();
  admin = await makeCaller({ global: "security_admin" });
  owner = await makeCaller({ tenants: { [tenant.id]: "tenant_owner" } });
});

describe("registry hardening", () => {
  it("retiring an agent revokes every credential it holds, in the same transaction", async () => {
    const agent = await makeAgent(owner, tenant.id, { status: "active" });
    await createCredential(owner, agent.id, { type: "client_secret" });
    await createCredential(owner, agent.id, { type: "client_secret" });
    await transitionAgent(owner, agent.id, { transition: "retire", reason: "Decommissioned" });
    const detail = await getAgentDetail(owner, agent.id);
    expect(detail.credentials).toHaveLength(2);
    expect(detail.credentials.every((c) => !c.live && c.revokedReason === "Agent retired")).toBe(true);
    const event = await (await prisma()).auditEvent.findFirst({
      where: { action: "agent.retire", targetId: agent.id },
    });
    expect(event?.data).toMatchObject({ after: { credentials_revoked: 2 } });
  });

  it("a tenant id that is not a UUID names no tenant, even for a security admin", async () => {
    await expect(listAgents(admin, "not-a-uuid", {})).rejects.toBeInstanceOf(NotFoundError);
    await expect(listScopes(admin, "'; DROP TABLE agents; --")).rejects.toBeInstanceOf(NotFoundError);
    await expect(listRoles(admin, "")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("a global scope cannot take a name a tenant already uses", async () => {
    const name = `${unique("local").replace(/-/g, "")}.read`;
    await createScope(owner, { name, description: "Tenant's own", risk: "low", tenant: tenant.slug });
    const error = await createScope(admin, { name, description: "Global twin", risk: "low", tenant: null }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.details).toEqual({ name: ["Already in use."] });
    expect(await (await prisma()).scope.count({ where: { name } })).toBe(1);
  });

  it("deactivating a user needs a reason, named on its field, and changes nothing without one", async () => {
    const leaver = await makeCaller({ tenants: { [tenant.id]: "member" } });
    const error = await deactivateUser(admin, leaver.id, { reason: "x" }).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(Object.keys(error.details)).toEqual(["reason"]);
    const row = await (await prisma()).user.findUniqueOrThrow({ where: { id: leaver.id } });
    expect(row.deactivatedAt).toBeNull();
  });

  it.runIf(process.env.MANDATE_TEST_DB === "postgres")(
    "two people registering the same name at once: one agent, and a ConflictError naming the field for the rest",
    async () => {
      const name = unique("race");
      const results = await Promise.allSettled(
        Array.from({ length: 4 }, () =>
          createAgent(owner, { tenant: tenant.slug, name, owner: owner.id, environment: "staging" }),
        ),
      );
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      for (const r of results.filter((r) => r.status === "rejected")) {
        const reason = (r as PromiseRejectedResult).reason;
        expect(reason).toBeInstanceOf(ConflictError);
        expect(Object.keys(reason.details)).toEqual(["name"]);
      }
      expect(await (await prisma()).agent.count({ where: { tenantId: tenant.id, name } })).toBe(1);
    },
  );
});
