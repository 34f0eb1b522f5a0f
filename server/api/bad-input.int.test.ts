import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserCaller } from "@/server/auth/caller";
import { prisma } from "@/server/db";
import { api, automationToken, discover, startApiTestServer } from "@/tests/admin-api";
import { makeAgent, makeCaller, makeTenant, unique } from "@/tests/factories";
import type { OAuthTestServer } from "@/tests/oauth-server";

// The red team's malformed requests that answered 500, each now a clear 4xx that changes nothing
// (fuzz.int.test.ts generates thousands more of every kind).

let server: OAuthTestServer;
let admin: UserCaller;
let token: string;
let tenant: Awaited<ReturnType<typeof makeTenant>>;

beforeAll(async () => {
  server = await startApiTestServer();
  admin = await makeCaller({ global: "security_admin" });
  tenant = await makeTenant();
  token = (await automationToken(await discover(server), admin, { role: "security_admin" })).token;
});
afterAll(async () => {
  await server?.close();
});

describe("malformed requests", () => {
  it("bad percent-encoding in a path is a 400 from the front door", async () => {
    for (const path of ["/api/v1/agents/%ff", "/api/v1/agents/%E0%A4%A", "/acme/%c0%af", "/oauth/%ff"]) {
      const r = await fetch(`${server.issuer}${path}`, { headers: { authorization: `Bearer ${token}` } });
      expect(r.status, path).toBe(400);
      expect(await r.json()).toMatchObject({ error: "invalid_request" });
    }
  });

  it("a body that is not a JSON object is a 400 saying so", async () => {
    for (const raw of ["null", "[]", "[1,2]", "7", '"text"', "true"]) {
      const r = await api(token, "POST", "/agents", undefined, { raw });
      expect(r.status, raw).toBe(400);
      expect(r.body.message).toBe("Send a JSON object as the body.");
    }
  });

  it("NUL bytes and unpaired surrogates in a path or a query are a 400 naming where", async () => {
    const list = await api(token, "GET", `/agents?tenant=${encodeURIComponent(`${tenant.slug}\u0000`)}`);
    expect(list.status).toBe(400);
    expect(list.body.details).toHaveProperty("tenant");
    const one = await api(token, "GET", `/tenants/${encodeURIComponent("a\u0000b")}`);
    expect(one.status).toBe(400);
  });

  it("a date past what the database can hold is a 400 naming the field, and nothing is written", async () => {
    const agent = await makeAgent(admin, tenant.id, { status: "active" });
    const before = await (await prisma()).credential.count({ where: { agentId: agent.id } });
    for (const expires_at of ["9999-12-31T23:59:59Z", "+275760-09-13T00:00:00.000Z", 8.64e15, "0000-01-01"]) {
      const r = await api(token, "POST", `/agents/${agent.id}/credentials`, { type: "client_secret", expires_at });
      expect(r.status, String(expires_at)).toBe(400);
      expect(Object.keys(r.body.details as object)).toEqual(["expires_at"]);
    }
    const audit = await api(token, "GET", "/audit/events?to=9999-12-31T23:59:59Z");
    expect(audit.status).toBe(400);
    expect(audit.body.details).toHaveProperty("to");
    expect(await (await prisma()).credential.count({ where: { agentId: agent.id } })).toBe(before);
  });

  it.runIf(process.env.MANDATE_TEST_DB === "postgres")(
    "two edits of one policy at the same moment: one new version, and a 409 with a sentence for the other",
    async () => {
      const created = await api(token, "POST", "/policies", {
        name: unique("Concurrent"),
        tenant: null,
        text: 'permit (principal is Agent, action, resource) when { context has purpose && context.purpose == "a" };',
      });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      const edits = await Promise.all(
        ["b", "c", "d", "e"].map((p) =>
          api(token, "PATCH", `/policies/${id}`, {
            text: `permit (principal is Agent, action, resource) when { context has purpose && context.purpose == "${p}" };`,
          }),
        ),
      );
      const statuses = edits.map((e) => e.status).sort();
      expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
      expect(statuses).toContain(200);
      for (const e of edits.filter((x) => x.status === 409)) expect(e.body.message).toMatch(/changed by someone else/);
      const versions = await (await prisma()).policyVersion.count({ where: { policyId: id } });
      expect(versions).toBe(1 + statuses.filter((s) => s === 200).length);
    },
  );
});
