import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createCredential } from "@/server/agents/credentials";
import type { UserCaller } from "@/server/auth/caller";
import { assignRole, createRole } from "@/server/catalog/roles";
import { createScope } from "@/server/catalog/scopes";
import { prisma } from "@/server/db";
import { createPolicy } from "@/server/policies/policies";
import { automationToken, clientToken, discover, startApiTestServer } from "@/tests/admin-api";
import { makeAgent, makeCaller, makeDelegation, makeTenant, unique } from "@/tests/factories";
import type { OAuthTestServer } from "@/tests/oauth-server";
import { invitePerson } from "../users/invitations";
import type { Operation } from "./operation";
import { operations } from "./operations";

// Bad input of any kind gets a clear 4xx and changes nothing. Regression: 380 of 10,200 malformed
// requests answered 500 (bad percent-encoding in a path, a NUL byte or an unpaired surrogate
// reaching the database, a `null` body, a date past what the database stores, TRACE). Here
// fast-check generates 10,000 requests over every admin API operation, the decision API and the
// OAuth endpoints (paths, queries, bodies, methods, content types and credentials of every kind);
// none may answer 500 or more, and none answered with a 4xx may change a row.

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);

let server: OAuthTestServer;
const ids: Record<string, string[]> = {};
const tokens: Record<string, string | null> = {};
let agent: { id: string; secret: string };

beforeAll(async () => {
  server = await startApiTestServer();
  const as = await discover(server);
  const admin: UserCaller = await makeCaller({ global: "security_admin" });
  const tenant = await makeTenant();
  const owner = await makeCaller({ tenants: { [tenant.id]: "tenant_owner" } });
  const scope = await createScope(admin, { name: unique("fuzz.read"), description: "Fuzz", risk: "low", tenant: null });
  const role = await createRole(admin, { name: unique("fuzz"), tenant: null, scopes: [scope.id] });
  const policy = await createPolicy(admin, {
    name: unique("Fuzz"),
    tenant: null,
    text: `permit (principal is Agent, action == Action::"${scope.name}", resource);`,
  });
  const row = await makeAgent(admin, tenant.id, { status: "active", redirect_uris: ["https://agent.example/cb"] });
  await assignRole(admin, row.id, role.id);
  const credential = await createCredential(admin, row.id, { type: "client_secret" });
  agent = { id: row.id, secret: credential.secret as string };
  const { grantId } = await makeDelegation({
    agent: row,
    userId: owner.id,
    scopes: [scope.name],
    publicUrl: server.issuer,
  });
  const invitation = await invitePerson(admin, {
    email: `${unique("fuzz")}@example.com`,
    tenant: tenant.slug,
    role: "member",
  });
  Object.assign(ids, {
    id: [row.id, policy.id, scope.id, role.id, owner.id, grantId, invitation.invitation.id],
    tenant: [tenant.slug, tenant.id],
    user: [owner.id, owner.email],
    credentialId: [credential.credential.id],
    roleId: [role.id],
  });
  tokens.admin = (await automationToken(as, admin, { role: "security_admin" })).token;
  tokens.owner = (await automationToken(as, admin, { role: "tenant_owner", tenant: tenant.slug })).token;
  tokens.agent = await clientToken(as, agent.id, agent.secret, { scope: scope.name });
  tokens.none = null;
  tokens.junk = "x".repeat(43);
});
afterAll(async () => {
  await server?.close();
});

// Strings of every awkward kind: control characters, NUL, unpaired surrogates, percent-encodings,
// traversal, huge, numbers and words that mean something to someone.
const nasty = fc.constantFrom(
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udfffy",
  "😀",
  "%",
  "%ff",
  "%00",
  "%2e%2e%2f",
  "../../etc/passwd",
  "null",
  "undefined",
  "true",
  "-1",
  "0",
  "1e309",
  "NaN",
  "9999-12-31T23:59:59Z",
  "+275760-09-13T00:00:00.000Z",
  "0000-00-00",
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "' OR 1=1 --",
  "<script>alert(1)</script>",
  "${jndi:ldap://x}",
  "\t\n\r",
  "a".repeat(5_000),
  "__proto__",
  "constructor",
);
const text = fc.oneof(nasty, fc.string({ unit: "binary", maxLength: 30 }), fc.string({ maxLength: 12 }));
const scalar = fc.oneof(
  text,
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, 0.5, 8.64e15 + 1),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    scalar,
    fc.array(tie("v"), { maxLength: 3 }),
    fc.dictionary(text, tie("v"), { maxKeys: 3 }),
  ),
})).v;

/** A path parameter: one of the real ids of its kind, or anything. */
const param = (name: string) =>
  fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...(ids[name] ?? ids.id)) }, { weight: 3, arbitrary: text });

/** The keys a zod object schema knows (for queries and bodies), or none. */
function keysOf(schema: z.ZodType | undefined): string[] {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as {
    properties?: Record<string, unknown>;
    anyOf?: { properties?: Record<string, unknown> }[];
    oneOf?: { properties?: Record<string, unknown> }[];
  };
  const parts = [json, ...(json.anyOf ?? []), ...(json.oneOf ?? [])];
  return [...new Set(parts.flatMap((p) => Object.keys(p.properties ?? {})))];
}

/** Percent-encodes what can be encoded; what cannot (an unpaired surrogate) goes as invalid UTF-8. */
function encode(s: string): string {
  if (/^%[0-9a-fA-F]{0,2}$/.test(s)) return s; // raw, possibly broken, percent-encoding
  try {
    return encodeURIComponent(s);
  } catch {
    return "%ED%A0%80";
  }
}

interface Probe {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const auth = fc.constantFrom("admin", "admin", "admin", "owner", "agent", "none", "junk");
const rawBody = fc.oneof(
  fc.constantFrom("null", "[]", "1", '"x"', "{", "{}", '{"a":', "\u0000", "[null]", '{"__proto__":{"x":1}}'),
  fc.string({ maxLength: 40 }),
);
const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant("application/json") },
  {
    weight: 1,
    arbitrary: fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "text/plain; x=application/json", ""),
  },
);
// (TRACE and CONNECT cannot be sent with fetch; the front door's own test sends them.)
const otherMethod = fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

function apiProbe(op: Operation): fc.Arbitrary<Probe> {
  const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  const queryKeys = keysOf(op.query);
  const bodyKeys = keysOf(op.body);
  const key = (known: string[]) =>
    known.length ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...known) }, text) : text;
  return fc
    .record({
      params: fc.tuple(...params.map(param)),
      query: fc.dictionary(key(queryKeys), text, { maxKeys: 4 }),
      body: fc.oneof(
        { weight: 5, arbitrary: fc.dictionary(key(bodyKeys), value, { maxKeys: 6 }).map((b) => JSON.stringify(b)) },
        { weight: 2, arbitrary: rawBody },
        { weight: 1, arbitrary: fc.constant(undefined) },
      ),
      method: fc.oneof(
        { weight: 9, arbitrary: fc.constant(op.method as string) },
        { weight: 1, arbitrary: otherMethod },
      ),
      who: op.auth === "self" ? fc.constantFrom("agent", "agent", "admin", "none", "junk") : auth,
      contentType,
    })
    .map(({ params: values, query, body, method, who, contentType }) => {
      let path = op.path;
      params.forEach((name, i) => {
        path = path.replace(`{${name}}`, encode(values[i] as string));
      });
      const search = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) {
        try {
          search.append(k, v);
        } catch {
          // unencodable: skip
        }
      }
      const qs = search.toString();
      const token = tokens[who];
      return {
        method,
        path: `/api/v1${path}${qs ? `?${qs}` : ""}`,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : who === "junk" ? { authorization: "Bearer" } : {}),
          ...(contentType ? { "content-type": contentType } : {}),
        },
        body: method === "GET" || method === "HEAD" ? undefined : body,
      };
    });
}

const oauthProbe = (): fc.Arbitrary<Probe> =>
  fc
    .record({
      endpoint: fc.constantFrom(
        "/oauth/token",
        "/oauth/token",
        "/oauth/introspect",
        "/oauth/revoke",
        "/oauth/authorize",
        "/oauth/jwks",
        "/.well-known/oauth-authorization-server",
        "/oauth/interaction/x/confirm",
      ),
      method: fc.oneof({ weight: 4, arbitrary: fc.constantFrom("POST", "GET") }, { weight: 1, arbitrary: otherMethod }),
      form: fc.dictionary(
        fc.oneof(
          {
            weight: 4,
            arbitrary: fc.constantFrom(
              "grant_type",
              "client_id",
              "client_secret",
              "scope",
              "resource",
              "token",
              "code",
              "redirect_uri",
              "code_verifier",
              "refresh_token",
              "response_type",
              "state",
              "client_assertion",
              "client_assertion_type",
              "token_type_hint",
            ),
          },
          { weight: 1, arbitrary: text },
        ),
        fc.oneof(
          fc.constantFrom("client_credentials", "authorization_code", "refresh_token", "password", "implicit", "code"),
          fc.constant(agent.id),
          text,
        ),
        { maxKeys: 6 },
      ),
      basic: fc.oneof(fc.constant(null), fc.tuple(fc.oneof(fc.constant(agent.id), text), text)),
    })
    .map(({ endpoint, method, form, basic }) => {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries(form)) {
        try {
          body.append(k, v);
        } catch {
          // unencodable: skip
        }
      }
      const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
      if (basic) headers.authorization = `Basic ${Buffer.from(`${basic[0]}:${basic[1]}`).toString("base64")}`;
      return method === "GET" || method === "HEAD"
        ? { method, path: `${endpoint}?${body}`, headers: {} }
        : { method, path: endpoint, headers, body: body.toString() };
    });

/** Rows a refused request must not touch (the audit store and the counters grow by design). */
async function rowCounts(): Promise<string> {
  const [row] = await (await prisma()).$queryRawUnsafe<Record<string, bigint>[]>(`SELECT
    (SELECT count(*) FROM tenants) t, (SELECT count(*) FROM users) u, (SELECT count(*) FROM memberships) m,
    (SELECT count(*) FROM agents) a, (SELECT count(*) FROM agent_status_changes) sc, (SELECT count(*) FROM credentials) c,
    (SELECT count(*) FROM scopes) s, (SELECT count(*) FROM roles) r, (SELECT count(*) FROM role_scopes) rs,
    (SELECT count(*) FROM role_assignments) ra, (SELECT count(*) FROM tokens) tk, (SELECT count(*) FROM grants) g,
    (SELECT count(*) FROM grants WHERE revoked_at IS NOT NULL) gr, (SELECT count(*) FROM tokens WHERE revoked_at IS NOT NULL) tr,
    (SELECT count(*) FROM policies) p, (SELECT count(*) FROM policy_versions) pv, (SELECT count(*) FROM approval_requests) ar,
    (SELECT count(*) FROM automation_clients) ac, (SELECT count(*) FROM invitations) i,
    (SELECT count(*) FROM invitations WHERE revoked_at IS NOT NULL) ir, (SELECT count(*) FROM anomalies) an`);
  return JSON.stringify(row, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
}

describe.runIf(process.env.MANDATE_TEST_DB === "postgres")("generated bad input", () => {
  it(`answers ${RUNS.toLocaleString("en")} generated requests with no 5xx, and no refused one changes a row`, async () => {
    const ops = Object.values(operations) as Operation[];
    const probe = fc.oneof(
      { weight: 4, arbitrary: fc.oneof(...ops.map(apiProbe)) },
      { weight: 1, arbitrary: oauthProbe() },
    );
    let before = await rowCounts();
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(probe, async (p) => {
        const response = await fetch(`${server.issuer}${p.path}`, {
          method: p.method,
          headers: p.headers,
          body: p.body,
          redirect: "manual",
        });
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        expect(response.status, `${p.method} ${p.path} ${JSON.stringify(p.body)?.slice(0, 300)}`).toBeLessThan(500);
        const after = await rowCounts();
        if (response.status >= 400) expect(after, `${p.method} ${p.path} changed rows`).toBe(before);
        before = after;
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    console.log("fuzz statuses", Object.fromEntries(statuses));
    // The generator reached deep: most requests were refused as bad input, and some went through.
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(RUNS);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(RUNS / 10);
    expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
  }, 900_000);
});
