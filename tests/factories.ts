// Factories for integration tests: unique names, so tests never collide.
import { randomBytes } from "node:crypto";
import { encode } from "next-auth/jwt";
import type { AgentStatus, Transition } from "@/lib/agent-lifecycle";
import type { Role } from "@/lib/permissions";
import type { CreateAgentInput } from "@/lib/schemas/agents";
import { createAgent } from "@/server/agents/create-agent";
import { transitionAgent } from "@/server/agents/transition-agent";
import { type Caller, loadUserCaller, type UserCaller } from "@/server/auth/caller";
import { startSession } from "@/server/auth/sessions";
import { prisma } from "@/server/db";
import { hashToken } from "@/server/oauth/hash";
import { apiResource } from "@/server/oauth/resource";
import { addMember, createTenant } from "@/server/tenants/create-tenant";
import { createUser } from "@/server/users/create-user";

const TEST_ACTOR = { type: "system", label: "test" } as const;
export const TEST_PASSWORD = "correct horse battery staple";

export const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString("hex")}`;

export async function makeTenant(name = unique("tenant")) {
  return createTenant(await prisma(), { slug: name.toLowerCase(), name }, TEST_ACTOR);
}

export async function makeUser(
  opts: {
    global?: "security_admin" | "auditor";
    tenants?: Record<string, Exclude<Role, "security_admin">>;
    password?: string | null;
    name?: string;
  } = {},
) {
  const db = await prisma();
  const user = await createUser(
    db,
    {
      email: `${unique("user")}@example.com`,
      name: opts.name ?? unique("User"),
      password: opts.password === null ? undefined : (opts.password ?? TEST_PASSWORD),
      global_role: opts.global ?? null,
    },
    TEST_ACTOR,
  );
  for (const [tenantId, role] of Object.entries(opts.tenants ?? {})) {
    await addMember(db, { tenantId, userId: user.id, role }, TEST_ACTOR);
  }
  return user;
}

export async function makeCaller(opts: Parameters<typeof makeUser>[0] = {}): Promise<UserCaller> {
  const user = await makeUser({ ...opts, password: null });
  const caller = await loadUserCaller(await prisma(), user.id);
  if (!caller) throw new Error("caller not loaded");
  return caller;
}

/** An agent in the tenant, owned by the caller unless told, moved to the status asked for. */
export async function makeAgent(
  caller: Caller,
  tenantId: string,
  opts: Partial<Omit<CreateAgentInput, "tenant">> & { status?: AgentStatus } = {},
) {
  const { status = "pending", ...input } = opts;
  const agent = await createAgent(caller, {
    tenant: tenantId,
    name: unique("agent"),
    owner: caller.id,
    environment: "development",
    ...input,
  });
  const steps: Record<AgentStatus, Transition[]> = {
    pending: [],
    active: ["activate"],
    suspended: ["activate", "suspend"],
    retired: ["retire"],
  };
  for (const transition of steps[status]) {
    await transitionAgent(caller, agent.id, { transition, reason: "test set-up" });
  }
  return (await prisma()).agent.findUniqueOrThrow({ where: { id: agent.id } });
}

/**
 * A person's grant to an agent and a delegated access token of it, written as the authorization
 * server writes them (the token only as its hash), without the consent round trip: for tests and
 * benchmarks that need many, or need the token's value. `publicUrl` is the API's (the audience).
 */
export async function makeDelegation(opts: {
  agent: { id: string; tenantId: string };
  userId: string;
  scopes: string[];
  publicUrl: string;
}): Promise<{ grantId: string; token: string }> {
  const db = await prisma();
  const grantId = randomBytes(32).toString("base64url");
  const { agent, userId, scopes } = opts;
  await db.grant.create({
    data: { id: grantId, userId, agentId: agent.id, tenantId: agent.tenantId, scopes, payload: {} },
  });
  const token = randomBytes(32).toString("base64url");
  await db.token.create({
    data: {
      hash: hashToken(token),
      kind: "ACCESS_TOKEN",
      clientId: agent.id,
      agentId: agent.id,
      tenantId: agent.tenantId,
      subjectId: userId,
      grantId,
      scopes,
      audience: apiResource(opts.publicUrl),
      expiresAt: new Date(Date.now() + 600_000),
      payload: {},
    },
  });
  return { grantId, token };
}

/**
 * A console session cookie for the person, as next-auth writes it at sign-in: a live session on the
 * server (sessions.ts) and the JWT naming it, sealed with the server's AUTH_SECRET.
 */
export async function sessionCookie(user: { id: string; email?: string }, secret: string): Promise<string> {
  const sid = await startSession(await prisma(), user.id, "password", {});
  return encode({ token: { sub: user.id, email: user.email, sid }, secret });
}
