import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCredential } from "@/server/agents/credentials";
import type { UserCaller } from "@/server/auth/caller";
import { assignRole, createRole } from "@/server/catalog/roles";
import { createScope } from "@/server/catalog/scopes";
import { api, clientToken, discover, startApiTestServer } from "@/tests/admin-api";
import { makeAgent, makeCaller, makeTenant, unique } from "@/tests/factories";
import type { OAuthTestServer } from "@/tests/oauth-server";
import { countPendingApprovals, listApprovals } from "./approvals";
import { createPolicy } from "./policies";

// Who sees an approval request. Regression: security admins and installation-wide auditors saw
// none (a role held everywhere became `{}` inside an OR, which Prisma drops), while the tenant's
// owner saw them all.

let server: OAuthTestServer;
let admin: UserCaller;
let globalAuditor: UserCaller;
let tenantOwner: UserCaller;
let member: UserCaller;
let stranger: UserCaller;
let tenant: Awaited<ReturnType<typeof makeTenant>>;
let approvalId: string;

beforeAll(async () => {
  server = await startApiTestServer();
  admin = await makeCaller({ global: "security_admin" });
  globalAuditor = await makeCaller({ global: "auditor" });
  tenant = await makeTenant();
  const other = await makeTenant();
  tenantOwner = await makeCaller({ tenants: { [tenant.id]: "tenant_owner" } });
  member = await makeCaller({ tenants: { [tenant.id]: "member" } });
  stranger = await makeCaller({ tenants: { [other.id]: "tenant_owner" } });
  const scope = await createScope(admin, {
    name: unique("wire.send"),
    description: "Wires",
    risk: "high",
    tenant: null,
  });
  const role = await createRole(admin, { name: unique("wires"), tenant: null, scopes: [scope.id] });
  await createPolicy(admin, {
    name: unique("Wires need approval"),
    tenant: null,
    text: `@needs_approval\npermit (principal is Agent, action == Action::"${scope.name}", resource);`,
  });
  const agent = await makeAgent(admin, tenant.id, { status: "active", owner: member.id });
  await assignRole(admin, agent.id, role.id);
  const secret = (await createCredential(admin, agent.id, { type: "client_secret" })).secret as string;
  const token = await clientToken(await discover(server), agent.id, secret, { scope: scope.name });
  const asked = await api(token, "POST", "/decisions", {
    action: scope.name,
    resource: { type: "Payment", id: "w-1" },
  });
  expect(asked.body.decision).toBe("needs_approval");
  approvalId = asked.body.approval_id as string;
});
afterAll(async () => {
  await server?.close();
});

describe("pending approval requests", () => {
  it("are seen by security admins, installation-wide auditors, the tenant's owner and the agent's owner; counted for the sidebar", async () => {
    for (const caller of [admin, globalAuditor, tenantOwner, member]) {
      const pending = await listApprovals(caller, { tenant: tenant.id, status: "pending" });
      expect(pending.map((a) => a.id)).toContain(approvalId);
      expect(await countPendingApprovals(caller, tenant.id)).toBe(1);
    }
  });

  it("are not seen by another tenant's owner", async () => {
    expect((await listApprovals(stranger, { status: "pending" })).map((a) => a.id)).not.toContain(approvalId);
    expect(await countPendingApprovals(stranger, tenant.id)).toBe(0);
  });
});
