import { createHash, generateKeyPairSync } from "node:crypto";
import { exportJWK, generateKeyPair, importJWK } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { makeAgent, makeCaller, makeTenant } from "@/tests/factories";
import type { Caller } from "../auth/caller";
import { prisma } from "../db";
import { createCredential, MAX_LIVE_CREDENTIALS, revokeCredential } from "./credentials";
import { getAgentDetail } from "./get-agent";
import { looksLikeClientSecret, SECRET_PREFIX, secretMatches } from "./secrets";

let a: Awaited<ReturnType<typeof makeTenant>>;
let owner: Caller;

beforeAll(async () => {
  a = await makeTenant();
  owner = await makeCaller({ tenants: { [a.id]: "tenant_owner" } });
});

const activeAgent = () => makeAgent(owner, a.id, { status: "active" });
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** How many credential and audit rows exist, to prove a refusal wrote nothing. */
async function counts() {
  const db = await prisma();
  return { credentials: await db.credential.count(), audit: await db.auditEvent.count() };
}

async function newSecret(agentId: string, label = "ci") {
  const { credential, secret } = await createCredential(owner, agentId, { type: "client_secret", label });
  if (!secret) throw new Error("no secret returned");
  return { credential, secret };
}

/** Changes one character of the secret's random body, keeping its shape. */
function tamper(secret: string) {
  const i = SECRET_PREFIX.length + 10;
  return secret.slice(0, i) + (secret[i] === "A" ? "B" : "A") + secret.slice(i + 1);
}

async function errorOf(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error("expected a refusal");
    },
    (e) => e,
  );
}

describe("client secrets", () => {
  it("returns a well-formed secret once and stores only its SHA-256 hash and a short prefix", async () => {
    const agent = await activeAgent();
    const { credential, secret } = await newSecret(agent.id);

    expect(secret.startsWith(SECRET_PREFIX)).toBe(true);
    expect(secret.startsWith("mandate_sk_")).toBe(true);
    expect(looksLikeClientSecret(secret)).toBe(true);
    expect(looksLikeClientSecret(tamper(secret))).toBe(false);
    expect(looksLikeClientSecret(secret.slice(0, -1))).toBe(false);
    expect(looksLikeClientSecret(`${secret}0`)).toBe(false);

    const row = await (await prisma()).credential.findUniqueOrThrow({ where: { id: credential.id } });
    expect(row.type).toBe("CLIENT_SECRET");
    expect(row.secretHash).toBe(sha256(secret));
    expect(row.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(secretMatches(secret, row.secretHash ?? "")).toBe(true);
    expect(secretMatches(tamper(secret), row.secretHash ?? "")).toBe(false);
    expect(row.secretPrefix).toBeTruthy();
    expect(row.secretPrefix?.length).toBeLessThanOrEqual(SECRET_PREFIX.length + 8);
    expect(secret.startsWith((row.secretPrefix ?? "").replace("…", ""))).toBe(true);
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(secret.slice(SECRET_PREFIX.length, SECRET_PREFIX.length + 16));
    expect(row.publicJwk).toBeNull();
    expect(row.jwksUrl).toBeNull();
  });

  it("keeps the secret and its hash out of every audit event", async () => {
    const agent = await activeAgent();
    const { credential, secret } = await newSecret(agent.id);
    await revokeCredential(owner, agent.id, credential.id, { reason: "Rotated after test" });
    const events = await (await prisma()).auditEvent.findMany();
    const created = events.find((e) => e.action === "agent.credential.create" && e.targetId === credential.id);
    expect(created?.data).toMatchObject({ after: { agent_id: agent.id, type: "client_secret", label: "ci" } });
    const all = JSON.stringify(events, (_k, v) => (typeof v === "bigint" ? String(v) : v));
    expect(all).not.toContain(secret);
    expect(all).not.toContain(sha256(secret));
  });

  it("never shows the secret or its hash on the agent page", async () => {
    const agent = await activeAgent();
    const { credential, secret } = await newSecret(agent.id);
    const detail = await getAgentDetail(owner, agent.id);
    const shown = detail.credentials.find((c) => c.id === credential.id);
    expect(shown).toMatchObject({ type: "client_secret", live: true, hint: credential.secretPrefix });
    expect(Object.keys(shown ?? {})).not.toContain("secretHash");
    const page = JSON.stringify(detail);
    expect(page).not.toContain(secret);
    expect(page).not.toContain(sha256(secret));
  });

  it("rotates: a second secret lives beside the first until the first is revoked", async () => {
    const agent = await activeAgent();
    const first = await newSecret(agent.id, "old");
    const second = await newSecret(agent.id, "new");
    expect(second.secret).not.toBe(first.secret);
    const live = async () =>
      Object.fromEntries((await getAgentDetail(owner, agent.id)).credentials.map((c) => [c.id, c.live]));
    expect(await live()).toEqual({ [first.credential.id]: true, [second.credential.id]: true });

    const revoked = await revokeCredential(owner, agent.id, first.credential.id, { reason: "Rotated to new secret" });
    expect(revoked.revokedAt).not.toBeNull();
    expect(revoked.revokedReason).toBe("Rotated to new secret");
    expect(await live()).toEqual({ [first.credential.id]: false, [second.credential.id]: true });
    const audit = await (await prisma()).auditEvent.findFirstOrThrow({
      where: { action: "agent.credential.revoke", targetId: first.credential.id },
    });
    expect(audit).toMatchObject({ actorId: owner.id, tenantId: a.id, reason: "Rotated to new secret" });

    const before = await counts();
    const again = await errorOf(revokeCredential(owner, agent.id, first.credential.id, { reason: "Once more" }));
    expect(again).toBeInstanceOf(ConflictError);
    expect(again.status).toBe(409);
    const row = await (await prisma()).credential.findUniqueOrThrow({ where: { id: first.credential.id } });
    expect(row.revokedAt).toEqual(revoked.revokedAt);
    expect(row.revokedReason).toBe("Rotated to new secret");
    expect(await counts()).toEqual(before);
  });

  it("needs a reason of at least 3 characters to revoke, naming reason", async () => {
    const agent = await activeAgent();
    const { credential } = await newSecret(agent.id);
    const before = await counts();
    for (const reason of ["no", "   ", undefined, 42]) {
      const error = await errorOf(revokeCredential(owner, agent.id, credential.id, { reason }));
      expect(error).toBeInstanceOf(ValidationError);
      expect(Object.keys(error.details)).toEqual(["reason"]);
    }
    expect(
      (await (await prisma()).credential.findUniqueOrThrow({ where: { id: credential.id } })).revokedAt,
    ).toBeNull();
    expect(await counts()).toEqual(before);
  });

  it("refuses an expiry in the past and an unknown credential type, naming the field", async () => {
    const agent = await activeAgent();
    const before = await counts();
    const past = await errorOf(
      createCredential(owner, agent.id, { type: "client_secret", expires_at: new Date(Date.now() - 60_000) }),
    );
    expect(past).toBeInstanceOf(ValidationError);
    expect(Object.keys(past.details)).toEqual(["expires_at"]);
    const kind = await errorOf(createCredential(owner, agent.id, { type: "password" }));
    expect(kind).toBeInstanceOf(ValidationError);
    expect(Object.keys(kind.details)).toEqual(["type"]);
    expect(await counts()).toEqual(before);
  });
});

describe("public keys", () => {
  it("accepts a public EC JWK and stores only its public members", async () => {
    const agent = await activeAgent();
    const { publicKey } = await generateKeyPair("ES256", { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: "key-2025", ext: true, key_ops: ["verify"] };
    const { credential, secret } = await createCredential(owner, agent.id, { type: "jwk", label: "signer", jwk });
    expect(secret).toBeNull();

    const row = await (await prisma()).credential.findUniqueOrThrow({ where: { id: credential.id } });
    expect(row.type).toBe("JWK");
    expect(row.secretHash).toBeNull();
    expect(row.secretPrefix).toBeNull();
    expect(row.publicJwk).toEqual({ kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y, kid: "key-2025", alg: "ES256" });
    await expect(importJWK(row.publicJwk as never, "ES256")).resolves.toBeTruthy();
    const shown = (await getAgentDetail(owner, agent.id)).credentials.find((c) => c.id === credential.id);
    expect(shown).toMatchObject({ type: "jwk", hint: "key-2025", live: true });
  });

  it("accepts an Ed25519 public key", async () => {
    const agent = await activeAgent();
    const { publicKey } = await generateKeyPair("EdDSA", { extractable: true });
    const jwk = await exportJWK(publicKey);
    const { credential } = await createCredential(owner, agent.id, { type: "jwk", jwk });
    const row = await (await prisma()).credential.findUniqueOrThrow({ where: { id: credential.id } });
    expect(row.publicJwk).toMatchObject({ kty: "OKP", crv: "Ed25519", x: jwk.x });
  });

  it("refuses private, symmetric, weak and unusable keys, naming jwk, and stores nothing", async () => {
    const agent = await activeAgent();
    const ec = await generateKeyPair("ES256", { extractable: true });
    // jose refuses to generate RSA keys under 2048 bits; node:crypto still makes them.
    const weakRsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ format: "jwk" });
    const ecPublic = await exportJWK(ec.publicKey);
    const refused = [
      await exportJWK(ec.privateKey),
      { kty: "oct", k: "c2VjcmV0LXN5bW1ldHJpYy1rZXktbWF0ZXJpYWw" },
      weakRsa,
      { ...ecPublic, x: "AAAA" },
      { kty: "XYZ", x: "AAAA" },
    ];
    const before = await counts();
    for (const jwk of refused) {
      const error = await errorOf(createCredential(owner, agent.id, { type: "jwk", jwk }));
      expect(error, JSON.stringify(jwk)).toBeInstanceOf(ValidationError);
      expect(Object.keys(error.details)).toEqual(["jwk"]);
    }
    const both = await errorOf(
      createCredential(owner, agent.id, { type: "jwk", jwk: ecPublic, jwks_url: "https://keys.example.com/jwks" }),
    );
    expect(both).toBeInstanceOf(ValidationError);
    expect(Object.keys(both.details)).toContain("jwk");
    const neither = await errorOf(createCredential(owner, agent.id, { type: "jwk" }));
    expect(neither).toBeInstanceOf(ValidationError);
    expect(Object.keys(neither.details)).toContain("jwk");
    expect(await counts()).toEqual(before);
  });

  it("accepts an https JWKS URL and refuses any other, naming jwks_url", async () => {
    const agent = await activeAgent();
    const before = await counts();
    for (const url of ["http://keys.example.com/jwks.json", "ftp://keys.example.com/jwks", "not a url"]) {
      const error = await errorOf(createCredential(owner, agent.id, { type: "jwk", jwks_url: url }));
      expect(error, url).toBeInstanceOf(ValidationError);
      expect(Object.keys(error.details)).toContain("jwks_url");
    }
    expect(await counts()).toEqual(before);
    const { credential } = await createCredential(owner, agent.id, {
      type: "jwk",
      jwks_url: "https://keys.example.com/.well-known/jwks.json",
    });
    expect(credential).toMatchObject({
      type: "JWKS_URL",
      jwksUrl: "https://keys.example.com/.well-known/jwks.json",
      publicJwk: null,
      secretHash: null,
    });
  });
});

describe("limits", () => {
  it(`refuses a live credential beyond ${MAX_LIVE_CREDENTIALS}, counting neither revoked nor expired ones`, async () => {
    expect(MAX_LIVE_CREDENTIALS).toBe(5);
    const agent = await activeAgent();
    const made = [];
    for (let i = 0; i < MAX_LIVE_CREDENTIALS; i++) made.push(await newSecret(agent.id, `s${i}`));
    const before = await counts();
    const sixth = await errorOf(createCredential(owner, agent.id, { type: "client_secret" }));
    expect(sixth).toBeInstanceOf(ConflictError);
    expect(sixth.message).toMatch(/at most 5 live credentials/);
    expect(await counts()).toEqual(before);

    await revokeCredential(owner, agent.id, made[0].credential.id, { reason: "Make room" });
    await newSecret(agent.id, "after revoke");
    await expect(createCredential(owner, agent.id, { type: "client_secret" })).rejects.toBeInstanceOf(ConflictError);

    await (await prisma()).credential.update({
      where: { id: made[1].credential.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    await expect(newSecret(agent.id, "after expiry")).resolves.toBeTruthy();
  });

  it("refuses credentials on a retired agent", async () => {
    const agent = await makeAgent(owner, a.id, { status: "retired" });
    const before = await counts();
    for (const input of [{ type: "client_secret" }, { type: "jwk", jwks_url: "https://keys.example.com/jwks" }]) {
      const error = await errorOf(createCredential(owner, agent.id, input));
      expect(error).toBeInstanceOf(ConflictError);
      expect(error.message).toMatch(/retired/);
    }
    expect(await counts()).toEqual(before);
  });

  it("gives NotFound for a garbage, unknown or other agent's credential id, and a garbage agent id", async () => {
    const agent = await activeAgent();
    const other = await activeAgent();
    const { credential } = await newSecret(other.id);
    for (const id of ["garbage", "' OR 1=1 --", "00000000-0000-4000-8000-000000000000", credential.id]) {
      await expect(revokeCredential(owner, agent.id, id, { reason: "Probing ids" })).rejects.toBeInstanceOf(
        NotFoundError,
      );
    }
    await expect(revokeCredential(owner, "garbage", credential.id, { reason: "Probing ids" })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(createCredential(owner, "garbage", { type: "client_secret" })).rejects.toBeInstanceOf(NotFoundError);
    expect(
      (await (await prisma()).credential.findUniqueOrThrow({ where: { id: credential.id } })).revokedAt,
    ).toBeNull();
  });
});
