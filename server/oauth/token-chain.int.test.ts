import type * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NotFoundError } from "@/lib/errors";
import type { UserCaller } from "@/server/auth/caller";
import { prisma } from "@/server/db";
import { hashToken } from "@/server/oauth/hash";
import { CHAIN_BELOW_LIMIT, getTokenChain, previewTokenRevocation, revokeToken } from "@/server/oauth/tokens";
import { api, automationToken, discover, startApiTestServer } from "@/tests/admin-api";
import { makeCaller } from "@/tests/factories";
import type { OAuthTestServer } from "@/tests/oauth-server";
import { exchangeKit } from "@/tests/token-exchange";

// A token's delegation chain and the impact of revoking a node, as the console and the admin API
// read them (GET /tokens/{id}/chain, GET /tokens/{id}/revocation-impact): in order, narrowing
// visible, statuses after a cascade, and only to those who may read the token's tenant.

let server: OAuthTestServer;
let as: oauth.AuthorizationServer;
let admin: UserCaller;
const { world, clientCredentials, exchanged } = exchangeKit(() => ({ as, admin }));

beforeAll(async () => {
  server = await startApiTestServer();
  as = await discover(server);
  admin = await makeCaller({ global: "security_admin" });
});
afterAll(() => server?.close());

/** A planner → researcher → runner chain; its token rows, origin first. */
async function threeHops() {
  const w = await world();
  const origin = await clientCredentials(w.planner, `${w.scopes.read} ${w.scopes.write} ${w.scopes.pay}`);
  const hop1 = await exchanged(w.researcher, origin.access_token, { scope: `${w.scopes.read} ${w.scopes.write}` });
  await exchanged(w.runner, hop1.access_token, { scope: w.scopes.read });
  const rows = await (await prisma()).token.findMany({
    where: { agentId: { in: [w.planner.id, w.researcher.id, w.runner.id] } },
    orderBy: { depth: "asc" },
  });
  return { w, ids: rows.map((r) => r.id) };
}

describe("a token's chain", () => {
  it("lists three hops in order from any node, with the scopes narrowing and the holder of each", async () => {
    const { w, ids } = await threeHops();
    const owner = await automationToken(as, admin, { role: "tenant_owner", tenant: w.tenant.slug });
    for (const id of ids) {
      const { status, body } = await api(owner.token, "GET", `/tokens/${id}/chain`);
      expect(status).toBe(200);
      expect(body.token_id).toBe(id);
      const nodes = body.nodes as Record<string, unknown>[];
      expect(nodes.map((n) => n.id)).toEqual(ids);
      expect(nodes.map((n) => (n.agent as { id: string }).id)).toEqual([w.planner.id, w.researcher.id, w.runner.id]);
      expect(nodes.map((n) => n.depth)).toEqual([0, 1, 2]);
      expect(nodes.map((n) => n.parent_id)).toEqual([null, ids[0], ids[1]]);
      expect(nodes.map((n) => (n.scopes as string[]).length)).toEqual([3, 2, 1]);
      expect(nodes.every((n) => n.status === "live" && n.can_revoke === true)).toBe(true);
    }
    const impact = await api(owner.token, "GET", `/tokens/${ids[0]}/revocation-impact`);
    expect(impact).toMatchObject({ status: 200, body: { tokens: 2, people: 0 } });
    expect((await api(owner.token, "GET", `/tokens/${ids[1]}/revocation-impact`)).body).toEqual({
      tokens: 1,
      people: 0,
    });
    expect((await api(owner.token, "GET", `/tokens/${ids[2]}/revocation-impact`)).body).toEqual({
      tokens: 0,
      people: 0,
    });
    // The list says which tokens have something below them, so that the console offers the chain.
    const listed = await api(owner.token, "GET", `/tokens?tenant=${w.tenant.slug}`);
    const below = Object.fromEntries((listed.body.data ?? []).map((t) => [t.id, t.has_below]));
    expect([below[ids[0]], below[ids[1]], below[ids[2]]]).toEqual([true, true, false]);
  });

  it("after the middle node is revoked, shows it and the one below revoked and the origin live", async () => {
    const { w, ids } = await threeHops();
    await revokeToken(admin, ids[1], { reason: "middle hop compromised" });
    const chain = await getTokenChain(admin, ids[0]);
    expect(chain.nodes.map((n) => n.status)).toEqual(["live", "revoked", "revoked"]);
    expect(chain.nodes[2].revokedReason).toBe("middle hop compromised");
    expect(await previewTokenRevocation(admin, ids[0])).toEqual({ tokens: 0, people: 0 });
    // A second branch from the origin reads after the first branch's end, each below its parent.
    const again = await clientCredentials(w.planner, w.scopes.read);
    await exchanged(w.outsider, again.access_token);
    const againRow = await (await prisma()).token.findFirstOrThrow({
      where: { agentId: w.planner.id, id: { not: ids[0] } },
    });
    const branch = await getTokenChain(admin, againRow.id);
    expect(branch.nodes.map((n) => n.agent?.id)).toEqual([w.planner.id, w.outsider.id]);
  });

  it("is a 404 to another tenant and to a member who cannot read agents, by API and domain alike", async () => {
    const { w, ids } = await threeHops();
    const other = await world();
    const stranger = await automationToken(as, admin, { role: "tenant_owner", tenant: other.tenant.slug });
    const member = await automationToken(as, admin, { role: "member", tenant: w.tenant.slug });
    for (const path of [`/tokens/${ids[1]}/chain`, `/tokens/${ids[1]}/revocation-impact`]) {
      expect((await api(stranger.token, "GET", path)).status).toBe(404);
      expect((await api(member.token, "GET", path)).status).toBe(404);
    }
    expect((await api(stranger.token, "GET", "/tokens/not-a-uuid/chain")).status).toBe(404);
    const person = await makeCaller({ tenants: { [w.tenant.id]: "member" } });
    await expect(getTokenChain(person, ids[0])).rejects.toBeInstanceOf(NotFoundError);
    await expect(previewTokenRevocation(person, ids[0])).rejects.toBeInstanceOf(NotFoundError);
    // An auditor reads the chain but may revoke nothing in it.
    const auditor = await makeCaller({ tenants: { [w.tenant.id]: "auditor" } });
    expect((await getTokenChain(auditor, ids[2])).nodes.map((n) => n.canRevoke)).toEqual([false, false, false]);
  });

  it("lists at most CHAIN_BELOW_LIMIT tokens below one and says so, while the impact counts them all", async () => {
    const { w, ids } = await threeHops();
    const db = await prisma();
    const runnerRow = await db.token.findUniqueOrThrow({ where: { id: ids[2] } });
    // A fan-out wider than a chain view lists, written as the exchange writes its rows.
    await db.token.createMany({
      data: Array.from({ length: CHAIN_BELOW_LIMIT }, (_, i) => ({
        hash: hashToken(`fan-out-${ids[2]}-${i}`),
        kind: "ACCESS_TOKEN" as const,
        clientId: w.runner.id,
        agentId: w.runner.id,
        tenantId: w.tenant.id,
        scopes: runnerRow.scopes,
        audience: runnerRow.audience,
        expiresAt: runnerRow.expiresAt,
        payload: {},
        parentId: ids[2],
        ancestors: [ids[0], ids[1], ids[2]],
        chainAgents: [w.planner.id, w.researcher.id, w.runner.id, w.runner.id],
        depth: 3,
      })),
    });
    const chain = await getTokenChain(admin, ids[1]);
    expect(chain.truncated).toBe(true);
    expect(chain.nodes).toHaveLength(1 + 1 + CHAIN_BELOW_LIMIT);
    expect(chain.nodes.slice(0, 3).map((n) => n.id)).toEqual(ids);
    expect(await previewTokenRevocation(admin, ids[1])).toMatchObject({ tokens: 1 + CHAIN_BELOW_LIMIT });
    expect((await getTokenChain(admin, ids[0])).truncated).toBe(true);
    expect((await getTokenChain(admin, ids[2])).truncated).toBe(false);
  });
});
