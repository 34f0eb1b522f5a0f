import { describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { createScope } from "@/server/catalog/scopes";
import { makeAgent, makeCaller, makeDelegation, makeTenant } from "@/tests/factories";
import { testDb } from "@/tests/integration-setup";
import { decide } from "./decide";
import { createPolicy } from "./policies";

// Policies in memory, never stale (policy-sets.ts): a decision reads the policy set's version with
// its token, so a change made anywhere (here: SQL behind this process's back, as another instance
// would write it) is evaluated from the very next decision.

const version = async () =>
  BigInt((await testDb().sql.query<{ v: string }>("SELECT version::text AS v FROM policy_set_version"))[0].v);

describe("the policies a decision evaluates", () => {
  it("follow every change from the next decision, whoever made it", async () => {
    const admin = await makeCaller({ global: "security_admin" });
    const tenant = await makeTenant();
    const agent = await makeAgent(admin, tenant.id, { status: "active" });
    const action = `mail.send${tenant.slug.replace(/[^a-z0-9]/g, "")}`;
    await createScope(admin, { name: action, description: "Send mail", risk: "low", tenant: null });
    const { token } = await makeDelegation({ agent, userId: admin.id, scopes: [action], publicUrl: env().publicUrl });
    const ask = () => decide(token, { action, resource: { type: "Email", id: "m-1" } });

    expect(await ask()).toMatchObject({ decision: "deny", code: "no_permitting_policy" });
    const before = await version();
    const policy = await createPolicy(admin, {
      name: `Mail ${tenant.slug}`,
      tenant: tenant.slug,
      text: `permit (principal is Agent, action == Action::"${action}", resource);`,
    });
    expect(await version()).toBeGreaterThan(before);
    expect(await ask()).toMatchObject({ decision: "allow", code: "permitted" });
    // Kept in memory now: the same answer without reading the policies again.
    expect(await ask()).toMatchObject({ decision: "allow" });

    // Another instance turns the policy into a forbid, then disables it: each counts at once here.
    await testDb().sql.query(
      `UPDATE policies SET text = $2, effect = 'forbid', version = version + 1 WHERE id = $1::uuid`,
      [policy.id, `forbid (principal is Agent, action == Action::"${action}", resource);`],
    );
    expect(await ask()).toMatchObject({ decision: "deny", code: "forbidden_by_policy" });
    await testDb().sql.query("UPDATE policies SET enabled = false WHERE id = $1::uuid", [policy.id]);
    expect(await ask()).toMatchObject({ decision: "deny", code: "no_permitting_policy" });
    await testDb().sql.query(
      `UPDATE policies SET enabled = true, text = $2, effect = 'permit', version = version + 1 WHERE id = $1::uuid`,
      [policy.id, `permit (principal is Agent, action == Action::"${action}", resource);`],
    );
    expect(await ask()).toMatchObject({ decision: "allow" });
    const atDelete = await version();
    await testDb().sql.query("DELETE FROM policy_versions WHERE policy_id = $1::uuid", [policy.id]);
    await testDb().sql.query("DELETE FROM policies WHERE id = $1::uuid", [policy.id]);
    expect(await version()).toBeGreaterThan(atDelete);
    expect(await ask()).toMatchObject({ decision: "deny", code: "no_permitting_policy" });
  });

  it("name a resource's tenant by id or slug, and answer for one that names nothing", async () => {
    const admin = await makeCaller({ global: "security_admin" });
    const own = await makeTenant();
    const other = await makeTenant();
    const agent = await makeAgent(admin, own.id, { status: "active" });
    const action = `docs.read${own.slug.replace(/[^a-z0-9]/g, "")}`;
    await createScope(admin, { name: action, description: "Read documents", risk: "low", tenant: null });
    await createPolicy(admin, {
      name: `Own documents ${own.slug}`,
      tenant: null,
      text: `permit (principal is Agent, action == Action::"${action}", resource is Document) when { resource has tenant && resource.tenant == principal.tenant };`,
    });
    const { token } = await makeDelegation({ agent, userId: admin.id, scopes: [action], publicUrl: env().publicUrl });
    const ask = (tenant: string) =>
      decide(token, { action, resource: { type: "Document", id: "d", attributes: { tenant } } });
    for (const ref of [own.id, own.slug]) expect(await ask(ref)).toMatchObject({ decision: "allow" });
    for (const ref of [other.id, other.slug, "no-such-tenant", "0".repeat(36), "-".repeat(36)]) {
      expect(await ask(ref)).toMatchObject({ decision: "deny", code: "no_permitting_policy" });
    }
    // Text the database cannot hold is refused before anything is read (a 400 at the API).
    await expect(ask("x\u0000y")).rejects.toMatchObject({
      status: 400,
      details: { "resource.attributes.tenant": [expect.stringMatching(/cannot be stored/)] },
    });
  });
});
