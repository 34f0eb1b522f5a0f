import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCredential } from "@/server/agents/credentials";
import type { UserCaller } from "@/server/auth/caller";
import { revokeAutomationClient } from "@/server/automation/automation-clients";
import { prisma } from "@/server/db";
import {
  api,
  automationToken,
  clientToken,
  discover,
  insecure,
  ROUTE_FILES,
  routeFile,
  startApiTestServer,
} from "@/tests/admin-api";
import { makeAgent, makeCaller, makeTenant, unique } from "@/tests/factories";
import type { OAuthTestServer } from "@/tests/oauth-server";
import { openApiDocument } from "./openapi";
import type { Operation } from "./operation";
import { operations } from "./operations";

let server: OAuthTestServer;
let as: oauth.AuthorizationServer;
let admin: UserCaller;
let tenantA: Awaited<ReturnType<typeof makeTenant>>;
let tenantB: Awaited<ReturnType<typeof makeTenant>>;
let adminToken: string;
let ownerOfA: UserCaller;

beforeAll(async () => {
  server = await startApiTestServer();
  as = await discover(server);
  admin = await makeCaller({ global: "security_admin" });
  tenantA = await makeTenant();
  tenantB = await makeTenant();
  ownerOfA = await makeCaller({ tenants: { [tenantA.id]: "tenant_owner" } });
  adminToken = (await automationToken(as, admin, { role: "security_admin" })).token;
});
afterAll(async () => {
  await server?.close();
});

const agentInput = (tenant: string) => ({
  name: unique("api-agent"),
  tenant,
  owner: ownerOfA.email,
  environment: "production",
  attributes: { dataClass: "internal" },
});

describe("authentication", () => {
  it("refuses a missing, malformed or unknown bearer token with 401 invalid_token", async () => {
    for (const token of [null, "not a token", "x".repeat(43)]) {
      const r = await api(token, "GET", `/agents?tenant=${tenantA.slug}`);
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ error: "invalid_token", message: expect.any(String) });
      expect(r.headers.get("www-authenticate")).toMatch(
        /^Bearer resource_metadata="[^"]+\/.well-known\/oauth-protected-resource\/api\/v1", error="invalid_token"/,
      );
    }
  });

  it("refuses an agent's token: agents do not use the admin API", async () => {
    const agent = await makeAgent(admin, tenantA.id, { status: "active" });
    const { secret } = await createCredential(admin, agent.id, { type: "client_secret" });
    const token = await clientToken(as, agent.id, secret as string);
    expect((await api(token, "GET", `/agents/${agent.id}`)).status).toBe(401);
  });

  it("a revoked automation client's token fails on the next call", async () => {
    const { client, token } = await automationToken(as, admin, { role: "auditor" });
    expect((await api(token, "GET", `/agents?tenant=${tenantA.slug}`)).status).toBe(200);
    await revokeAutomationClient(admin, client.id, { reason: "rotated the CI job" });
    expect((await api(token, "GET", `/agents?tenant=${tenantA.slug}`)).status).toBe(401);
    const refused = await oauth.clientCredentialsGrantRequest(
      as,
      { client_id: client.clientId },
      oauth.ClientSecretBasic("whatever"),
      new URLSearchParams(),
      insecure,
    );
    expect(refused.status).toBe(401);
  });
});

describe("agents", () => {
  it("creates, reads, updates and moves an agent through its lifecycle, in snake_case", async () => {
    const created = await api(adminToken, "POST", "/agents", agentInput(tenantA.slug));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: "pending",
      tenant_id: tenantA.id,
      token_ttl_seconds: 600,
      attributes: { dataClass: "internal" },
    });
    const id = created.body.id as string;

    const updated = await api(adminToken, "PATCH", `/agents/${id}`, {
      redirect_uris: ["https://agent.example/callback"],
      token_ttl_seconds: 900,
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ redirect_uris: ["https://agent.example/callback"], token_ttl_seconds: 900 });

    for (const [step, status] of [
      ["activate", "active"],
      ["suspend", "suspended"],
      ["resume", "active"],
    ] as const) {
      const r = await api(adminToken, "POST", `/agents/${id}/${step}`, { reason: `API ${step}` });
      expect(r.status).toBe(200);
      expect(r.body.status).toBe(status);
    }
    expect((await api(adminToken, "POST", `/agents/${id}/renew`, {})).status).toBe(200);

    const list = await api(adminToken, "GET", `/agents?tenant=${tenantA.slug}&status=active&page_size=10`);
    expect(list.status).toBe(200);
    expect(list.body.data?.map((a) => a.id)).toContain(id);
    expect(list.body).toMatchObject({ page: 1, page_size: 10 });

    const retired = await api(adminToken, "POST", `/agents/${id}/retire`, { reason: "done" });
    expect(retired.body.status).toBe("retired");
  });

  it("refuses bad input with 400 naming each field, and changes nothing", async () => {
    const db = await prisma();
    const before = await db.agent.count();
    const r = await api(adminToken, "POST", "/agents", {
      name: "",
      tenant: tenantA.slug,
      owner: ownerOfA.email,
      environment: "moon",
      redirect_uris: ["http://evil.example/cb"],
      token_ttl_seconds: 7200,
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe("invalid_request");
    expect(Object.keys(r.body.details as object)).toEqual(
      expect.arrayContaining(["name", "environment", "redirect_uris.0", "token_ttl_seconds"]),
    );
    expect(await db.agent.count()).toBe(before);

    expect((await api(adminToken, "GET", "/agents")).body).toMatchObject({ details: { tenant: expect.any(Array) } });
    expect((await api(adminToken, "POST", "/agents", undefined, { raw: "{nope" })).body.error).toBe("invalid_json");
    const media = await api(adminToken, "POST", "/agents", undefined, { raw: "name=x", contentType: "text/plain" });
    expect(media.status).toBe(415);
    // Regression: the media type was matched as a substring of the header.
    for (const contentType of ["text/plain; x=application/json", "application/jsonp", "text/plain, application/json"]) {
      const r = await api(adminToken, "POST", "/agents", undefined, { raw: "{}", contentType });
      expect(r.status, contentType).toBe(415);
    }
    expect((await api(adminToken, "POST", "/agents/not-a-uuid/suspend", { reason: "a valid reason" })).status).toBe(
      404,
    );
    expect(await db.agent.count()).toBe(before);
  });

  it("keeps a tenant-scoped client inside its tenant, and a member-role client from writing", async () => {
    const inB = await makeAgent(admin, tenantB.id);
    const owner = await automationToken(as, admin, { role: "tenant_owner", tenant: tenantA.slug });
    expect((await api(owner.token, "GET", `/agents/${inB.id}`)).status).toBe(404);
    expect((await api(owner.token, "GET", `/agents?tenant=${tenantB.slug}`)).status).toBe(400);
    expect((await api(owner.token, "POST", "/agents", agentInput(tenantB.slug))).status).toBe(400);
    expect((await api(owner.token, "POST", "/agents", agentInput(tenantA.slug))).status).toBe(201);

    const member = await automationToken(as, admin, { role: "member", tenant: tenantA.slug });
    expect((await api(member.token, "POST", "/agents", agentInput(tenantA.slug))).status).toBe(403);
  });
});

describe("credentials, scopes, roles and tokens", () => {
  it("shows a secret once, assigns roles, and revokes a token with effect on the next introspection", async () => {
    const agent = await makeAgent(admin, tenantA.id, { status: "active" });
    const created = await api(adminToken, "POST", `/agents/${agent.id}/credentials`, { type: "client_secret" });
    expect(created.status).toBe(201);
    const secret = created.body.client_secret as string;
    expect(secret).toMatch(/^mandate_sk_/);
    const listed = await api(adminToken, "GET", `/agents/${agent.id}/credentials`);
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    const scope = await api(adminToken, "POST", "/scopes", {
      name: unique("crm.read"),
      description: "Read CRM records",
      risk: "medium",
      tenant: null,
    });
    expect(scope.status).toBe(201);
    expect((await api(adminToken, "POST", "/scopes", { name: "x", risk: "huge" })).status).toBe(400);
    const role = await api(adminToken, "POST", "/roles", {
      name: unique("crm-reader"),
      tenant: null,
      scopes: [scope.body.id],
    });
    expect(role.status).toBe(201);
    const assigned = await api(adminToken, "POST", `/agents/${agent.id}/roles`, { role: role.body.id });
    expect(assigned.status).toBe(201);
    expect(assigned.body.effective_scopes).toEqual([expect.objectContaining({ name: scope.body.name })]);
    expect((await api(adminToken, "GET", `/scopes?tenant=${tenantA.slug}`)).body.data?.length).toBeGreaterThan(0);
    expect((await api(adminToken, "GET", `/roles?tenant=${tenantA.id}`)).status).toBe(200);

    const token = await clientToken(as, agent.id, secret, { scope: scope.body.name as string });
    const tokens = await api(adminToken, "GET", `/tokens?agent=${agent.id}`);
    expect(tokens.body.total).toBe(1);
    const row = tokens.body.data?.[0] as Record<string, unknown>;
    expect(row).toMatchObject({ scopes: [scope.body.name], live: true, kind: "access_token" });
    expect(JSON.stringify(tokens.body)).not.toContain(token);

    expect((await api(adminToken, "DELETE", `/tokens/${row.id}`, {})).status).toBe(400);
    const revoked = await api(adminToken, "DELETE", `/tokens/${row.id}`, { reason: "suspicious use" });
    expect(revoked.status).toBe(200);
    expect(revoked.body.live).toBe(false);
    const introspection = await oauth.processIntrospectionResponse(
      as,
      { client_id: agent.id },
      await oauth.introspectionRequest(as, { client_id: agent.id }, oauth.ClientSecretBasic(secret), token, insecure),
    );
    expect(introspection.active).toBe(false);
    expect((await api(adminToken, "DELETE", `/tokens/${row.id}`, { reason: "again" })).status).toBe(409);

    expect((await api(adminToken, "DELETE", `/agents/${agent.id}/roles/${role.body.id}`)).status).toBe(204);
    const credentialId = created.body.id as string;
    expect((await api(adminToken, "DELETE", `/agents/${agent.id}/credentials/${credentialId}`, {})).status).toBe(400);
    expect(
      (await api(adminToken, "DELETE", `/agents/${agent.id}/credentials/${credentialId}`, { reason: "rotated" }))
        .status,
    ).toBe(204);
  });
});

describe("introspection by automation clients", () => {
  it("answers for tokens of the tenants the client's role covers, and inactive for the rest", async () => {
    const inA = await makeAgent(admin, tenantA.id, { status: "active" });
    const inB = await makeAgent(admin, tenantB.id, { status: "active" });
    const tokens: string[] = [];
    for (const agent of [inA, inB]) {
      const { secret } = await createCredential(admin, agent.id, { type: "client_secret" });
      tokens.push(await clientToken(as, agent.id, secret as string));
    }
    const rs = await automationToken(as, admin, { role: "tenant_auditor", tenant: tenantA.slug });
    const client = { client_id: rs.client.clientId };
    const introspect = async (token: string) =>
      oauth.processIntrospectionResponse(
        as,
        client,
        await oauth.introspectionRequest(as, client, oauth.ClientSecretBasic(rs.secret), token, insecure),
      );
    expect(await introspect(tokens[0])).toMatchObject({ active: true, client_id: inA.id, tenant_id: tenantA.id });
    expect(await introspect(tokens[1])).toEqual({ active: false });
  });
});

describe("every operation", () => {
  it("answers bad requests with a 4xx JSON error, never a 500, and changes nothing", async () => {
    const db = await prisma();
    const count = () => Promise.all([db.agent.count(), db.scope.count(), db.role.count(), db.credential.count()]);
    const before = await count();
    for (const op of Object.values(operations) as Operation[]) {
      const path = op.path.replace(/\{\w+\}/g, "not-a-uuid");
      const anonymous = await api(null, op.method, path, op.method === "GET" ? undefined : {});
      expect(anonymous.status, `${op.id} without a token`).toBe(401);
      for (const body of op.method === "GET" ? [undefined] : [{}, { name: 42, tenant: [], reason: "" }]) {
        const r = await api(adminToken, op.method, path, body);
        // A list with no filters (GET /tokens) is a fine request.
        if (op.method === "GET" && !op.path.includes("{") && r.status === 200) continue;
        expect(r.status, `${op.id} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
        expect(r.status, `${op.id} ${JSON.stringify(body)}`).toBeLessThan(500);
        expect(r.body, op.id).toMatchObject({ error: expect.any(String), message: expect.any(String) });
      }
      if (op.body) {
        const malformed = await api(adminToken, op.method, path, undefined, { raw: "{" });
        expect(malformed.status, op.id).toBe(400);
      }
    }
    expect(await count()).toEqual(before);
  });
});

describe("OpenAPI", () => {
  it("documents every operation, and every route file serves exactly the documented methods", async () => {
    const doc = openApiDocument("https://mandate.example");
    const documented = new Set<string>();
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods)) documented.add(`${method.toUpperCase()} ${path}`);
    }
    const served = new Set<string>();
    for (const [file, load] of Object.entries(ROUTE_FILES)) {
      if (file.includes("[...path]") || file.includes("openapi.json")) continue;
      const path = file
        .replace("../app/api/v1", "")
        .replace("/route.ts", "")
        .replace(/\[(\w+)\]/g, "{$1}");
      const mod = await load();
      for (const method of ["GET", "POST", "PATCH", "PUT", "DELETE"]) if (mod[method]) served.add(`${method} ${path}`);
    }
    expect([...served].sort()).toEqual([...documented].sort());
    for (const op of Object.values(operations) as Operation[]) {
      expect(ROUTE_FILES[routeFile(op.path)], op.id).toBeDefined();
    }
    const create = doc.paths["/agents"].post as {
      requestBody: { content: { "application/json": { schema: { properties: object } } } };
    };
    expect(Object.keys(create.requestBody.content["application/json"].schema.properties)).toEqual(
      expect.arrayContaining([
        "name",
        "tenant",
        "owner",
        "environment",
        "attributes",
        "redirect_uris",
        "token_ttl_seconds",
      ]),
    );
  });
});
