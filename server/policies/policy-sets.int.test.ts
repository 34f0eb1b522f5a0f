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
});
