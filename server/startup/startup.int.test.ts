import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { ValidationError } from "@/lib/errors";
import { createTestDatabase, type TestDatabase } from "@/tests/test-database";
import { signInWithPassword } from "../auth/sign-in";
import { installDatabase } from "../db";
import { type Database, openDatabase } from "../db/client";
import { verifyClientSecret } from "../oauth/clients";
import { prepare } from ".";
import { DEMO_PASSWORD, DEMO_USERS } from "./seed-demo";

// Each test here gets an empty database of its own (the file-wide one stays untouched).
const kind = process.env.MANDATE_TEST_DB;
let fresh: TestDatabase | undefined;

async function emptyDb(): Promise<Database> {
  fresh = await createTestDatabase(kind);
  installDatabase(fresh.db);
  return fresh.db;
}

afterEach(async () => {
  await fresh?.drop();
  fresh = undefined;
});

const dataDir = () => mkdtempSync(path.join(tmpdir(), "mandate-startup-"));
const embedded = (extra: Record<string, string> = {}) => parseEnv({ DATA_DIR: dataDir(), ...extra });
const server = (extra: Record<string, string> = {}) =>
  parseEnv({ DATABASE_URL: "postgresql://unused/x", AUTH_SECRET: "s".repeat(32), ...extra });

describe(`start-up (${kind})`, () => {
  it("seeds the demo world once on an empty embedded database, with every role signing in", async () => {
    const db = await emptyDb();
    const report = await prepare(embedded());
    expect(report.seeded).toBe(true);
    expect(report.messages.join("\n")).toContain(DEMO_PASSWORD);
    expect(await db.prisma.tenant.count()).toBeGreaterThanOrEqual(3);
    const users = await db.prisma.user.findMany({ include: { memberships: true } });
    expect(users.some((u) => u.globalRole === "SECURITY_ADMIN")).toBe(true);
    expect(users.some((u) => u.globalRole === "AUDITOR")).toBe(true);
    const tenantRoles = new Set(users.flatMap((u) => u.memberships.map((m) => m.role)));
    expect([...tenantRoles].sort()).toEqual(["AUDITOR", "MEMBER", "OWNER"]);
    for (const u of DEMO_USERS) {
      await expect(
        signInWithPassword({ email: u.email, password: DEMO_PASSWORD }, { ip: "192.0.2.1" }),
      ).resolves.toMatchObject({
        email: u.email,
      });
    }
    const again = await prepare(embedded());
    expect(again.seeded).toBe(false);
    expect(await db.prisma.tenant.count()).toBe(3);
  }, 180_000); // the whole demo world (seven days of traffic) on a fresh embedded database

  it("seeds nothing on PostgreSQL unless asked for", async () => {
    const db = await emptyDb();
    const report = await prepare(server());
    expect(report.seeded).toBe(false);
    expect(report.messages.join("\n")).toMatch(/BOOTSTRAP_ADMIN_EMAIL/);
    expect(await db.prisma.tenant.count()).toBe(0);
    expect((await prepare(server({ SEED_DEMO: "true" }))).seeded).toBe(true);
  });

  it("creates the bootstrap security admin on an empty database, and only then", async () => {
    const db = await emptyDb();
    const config = server({
      BOOTSTRAP_ADMIN_EMAIL: "First.Admin@Example.com",
      BOOTSTRAP_ADMIN_PASSWORD: "a long bootstrap secret",
    });
    const report = await prepare(config);
    expect(report.bootstrapped).toBe("first.admin@example.com");
    const admin = await db.prisma.user.findUniqueOrThrow({ where: { email: "first.admin@example.com" } });
    expect(admin.globalRole).toBe("SECURITY_ADMIN");
    expect(admin.passwordHash).toMatch(/^\$argon2id\$/);
    const audit = await db.prisma.auditEvent.findFirst({ where: { action: "user.create", targetId: admin.id } });
    expect(audit?.actorType).toBe("system");
    expect(
      (
        await prepare(
          server({ BOOTSTRAP_ADMIN_EMAIL: "second@example.com", BOOTSTRAP_ADMIN_PASSWORD: "another long secret" }),
        )
      ).bootstrapped,
    ).toBeNull();
    expect(await db.prisma.user.count()).toBe(1);
  });

  it("creates the bootstrap automation client on an empty database: a security admin, its secret hashed", async () => {
    const db = await emptyDb();
    const secret = "a-bootstrap-client-secret-of-40-characters";
    const report = await prepare(
      server({
        BOOTSTRAP_ADMIN_EMAIL: "first@example.com",
        BOOTSTRAP_ADMIN_PASSWORD: "a long bootstrap secret",
        BOOTSTRAP_ADMIN_CLIENT_ID: "ci-admin",
        BOOTSTRAP_ADMIN_CLIENT_SECRET: secret,
      }),
    );
    expect(report.client).toBe("ci-admin");
    expect(report.messages.join("\n")).toMatch(/automation client ci-admin/);
    const client = await db.prisma.automationClient.findUniqueOrThrow({ where: { clientId: "ci-admin" } });
    expect(client).toMatchObject({ globalRole: "SECURITY_ADMIN", tenantId: null, revokedAt: null });
    expect(JSON.stringify(client)).not.toContain(secret);
    expect(await verifyClientSecret(db.prisma, "ci-admin", secret)).toBe(true);
    expect(await verifyClientSecret(db.prisma, "ci-admin", `${secret}x`)).toBe(false);
    const again = await prepare(
      server({ BOOTSTRAP_ADMIN_CLIENT_ID: "ci-other", BOOTSTRAP_ADMIN_CLIENT_SECRET: secret }),
    );
    expect(again.client).toBeNull();
    expect(await db.prisma.automationClient.count()).toBe(1);
  });

  it("changes nothing when the bootstrap email is invalid", async () => {
    const db = await emptyDb();
    // parseEnv refuses a malformed email up front; bypass it to prove the domain refuses too.
    const config = {
      ...server(),
      BOOTSTRAP_ADMIN_EMAIL: "not-an-email",
      BOOTSTRAP_ADMIN_PASSWORD: "a long bootstrap secret",
    };
    await expect(prepare(config)).rejects.toBeInstanceOf(ValidationError);
    expect(await db.prisma.user.count()).toBe(0);
    expect(await db.prisma.auditEvent.count()).toBe(0);
  });

  it.runIf(kind === "postgres")("seeds once when several instances start at the same moment", async () => {
    const db = await emptyDb();
    const others = await Promise.all([1, 2, 3].map(() => openDatabase({ databaseUrl: fresh?.url as string })));
    try {
      const config = server({ SEED_DEMO: "true" });
      const reports = [];
      for (const other of [db, ...others]) {
        installDatabase(other);
        reports.push(prepare(config));
      }
      const results = await Promise.all(reports);
      expect(results.filter((r) => r.seeded)).toHaveLength(1);
      expect(await db.prisma.tenant.count()).toBe(3);
    } finally {
      installDatabase(db);
      await Promise.all(others.map((o) => o.close()));
    }
  });
});
