import "server-only";
import type { Role } from "@/lib/permissions";
import type { Db } from "../db";
import { addMember, createTenant } from "../tenants/create-tenant";
import { createUser } from "../users/create-user";
import { seedAgents } from "./seed-agents";
import { seedGrants } from "./seed-grants";
import { seedPolicies } from "./seed-policies";
import { seedTraffic } from "./seed-traffic";

/** Every demo account signs in with this password. Demo worlds are for trying Mandate out. */
export const DEMO_PASSWORD = "mandate-demo-password";

const SEED = { type: "system", label: "demo seed" } as const;

const TENANTS = [
  { slug: "acme", name: "Acme Corp" },
  { slug: "globex", name: "Globex" },
  { slug: "initech", name: "Initech" },
];

type DemoUser = {
  email: string;
  name: string;
  global?: "security_admin" | "auditor";
  tenants?: Record<string, Exclude<Role, "security_admin">>;
};

export const DEMO_USERS: DemoUser[] = [
  { email: "admin@example.com", name: "Sam Rivera", global: "security_admin" },
  { email: "auditor@example.com", name: "Alex Chen", global: "auditor" },
  { email: "owner@acme.example", name: "Priya Nair", tenants: { acme: "tenant_owner" } },
  { email: "owner@globex.example", name: "Hank Scorpio", tenants: { globex: "tenant_owner" } },
  { email: "owner@initech.example", name: "Bill Lumbergh", tenants: { initech: "tenant_owner" } },
  { email: "auditor@acme.example", name: "Grace Okafor", tenants: { acme: "auditor" } },
  { email: "member@acme.example", name: "Jordan Lee", tenants: { acme: "member", globex: "member" } },
  { email: "dana@acme.example", name: "Dana Kim", tenants: { acme: "member" } },
  { email: "milton@initech.example", name: "Milton Waddams", tenants: { initech: "member" } },
  { email: "peter@initech.example", name: "Peter Gibbons", tenants: { initech: "member" } },
];

/** Seeds the demo world into an empty database, in one transaction. */
export async function seedDemo(db: Db): Promise<void> {
  const tenantIds: Record<string, string> = {};
  for (const t of TENANTS) tenantIds[t.slug] = (await createTenant(db, t, SEED)).id;
  for (const u of DEMO_USERS) {
    const user = await createUser(
      db,
      { email: u.email, name: u.name, password: DEMO_PASSWORD, global_role: u.global ?? null },
      SEED,
    );
    for (const [slug, role] of Object.entries(u.tenants ?? {})) {
      await addMember(db, { tenantId: tenantIds[slug], userId: user.id, role }, SEED);
    }
  }
  await seedAgents(db, tenantIds, "admin@example.com");
  await seedPolicies(db, tenantIds);
  await seedGrants(db, tenantIds);
  await seedTraffic(db, tenantIds);
}

export function demoSignInHelp(publicUrl: string): string {
  const rows = DEMO_USERS.map((u) => {
    const role = u.global
      ? `${u.global === "security_admin" ? "security admin" : "auditor"}, every tenant`
      : Object.entries(u.tenants ?? {})
          .map(([t, r]) => `${r.replace("tenant_owner", "owner")} of ${t}`)
          .join(", ");
    return `    ${u.email.padEnd(26)} ${role}`;
  });
  return [
    `Mandate demo world is ready. Sign in at ${publicUrl}/sign-in with any of:`,
    ...rows,
    `  password for every demo account: ${DEMO_PASSWORD}`,
  ].join("\n");
}
