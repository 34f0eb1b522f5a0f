import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, MAX_WORKERS, parseEnv } from "./env";

const tmp = () => mkdtempSync(path.join(tmpdir(), "mandate-env-"));

describe("parseEnv", () => {
  it("defaults to the embedded database on port 3000 and generates a secret once", () => {
    const dir = tmp();
    const env = parseEnv({ DATA_DIR: dir });
    expect(env.embedded).toBe(true);
    expect(env.PORT).toBe(3000);
    expect(env.publicUrl).toBe("http://localhost:3000");
    expect(env.authSecret.length).toBeGreaterThanOrEqual(32);
    expect(parseEnv({ DATA_DIR: dir }).authSecret).toBe(env.authSecret);
    expect(readFileSync(path.join(dir, "auth-secret"), "utf8").trim()).toBe(env.authSecret);
    expect(statSync(path.join(dir, "auth-secret")).mode & 0o777).toBe(0o600);
  });

  it("derives PUBLIC_URL from PORT and strips a trailing slash", () => {
    expect(parseEnv({ DATA_DIR: tmp(), PORT: "4000" }).publicUrl).toBe("http://localhost:4000");
    expect(parseEnv({ DATA_DIR: tmp(), PUBLIC_URL: "https://mandate.example.com/" }).publicUrl).toBe(
      "https://mandate.example.com",
    );
  });

  it("requires AUTH_SECRET with DATABASE_URL, since instances must share it", () => {
    expect(() => parseEnv({ DATABASE_URL: "postgresql://db/mandate" })).toThrow(/AUTH_SECRET/);
    const env = parseEnv({ DATABASE_URL: "postgresql://db/mandate", AUTH_SECRET: "s".repeat(32) });
    expect(env.embedded).toBe(false);
  });

  it("names every bad variable at once", () => {
    try {
      parseEnv({ PORT: "http", DATABASE_URL: "mysql://x", BOOTSTRAP_ADMIN_EMAIL: "nope", PUBLIC_URL: "not a url" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      const message = (error as Error).message;
      for (const name of ["PORT", "DATABASE_URL", "BOOTSTRAP_ADMIN_EMAIL", "PUBLIC_URL"])
        expect(message).toContain(name);
    }
  });

  it("wants the bootstrap email and password together, and SSO complete", () => {
    expect(() => parseEnv({ DATA_DIR: tmp(), BOOTSTRAP_ADMIN_EMAIL: "a@b.co" })).toThrow(/BOOTSTRAP_ADMIN_PASSWORD/);
    expect(() => parseEnv({ DATA_DIR: tmp(), BOOTSTRAP_ADMIN_CLIENT_ID: "ci-admin" })).toThrow(
      /BOOTSTRAP_ADMIN_CLIENT_SECRET/,
    );
    expect(() =>
      parseEnv({ DATA_DIR: tmp(), BOOTSTRAP_ADMIN_CLIENT_ID: "ci-admin", BOOTSTRAP_ADMIN_CLIENT_SECRET: "short" }),
    ).toThrow(/BOOTSTRAP_ADMIN_CLIENT_SECRET: must be at least 32 characters/);
    expect(() =>
      parseEnv({
        DATA_DIR: tmp(),
        BOOTSTRAP_ADMIN_CLIENT_ID: "6f1c2a9e-5b4d-4c3a-9e8f-0123456789ab",
        BOOTSTRAP_ADMIN_CLIENT_SECRET: "s".repeat(32),
      }),
    ).toThrow(/BOOTSTRAP_ADMIN_CLIENT_ID: must not look like a UUID/);
    expect(() => parseEnv({ DATA_DIR: tmp(), SSO_ISSUER: "https://idp.example.com" })).toThrow(/SSO_CLIENT_ID/);
    const sso = parseEnv({
      DATA_DIR: tmp(),
      SSO_ISSUER: "https://idp.example.com",
      SSO_CLIENT_ID: "c",
      SSO_CLIENT_SECRET: "s",
    }).sso;
    expect(sso).toEqual({
      issuer: "https://idp.example.com",
      clientId: "c",
      clientSecret: "s",
      name: "Single sign-on",
    });
  });

  it("treats empty variables as unset", () => {
    const env = parseEnv({ DATA_DIR: tmp(), DATABASE_URL: "", PUBLIC_URL: "" });
    expect(env.embedded).toBe(true);
  });
});

describe("mail and invitations", () => {
  it("sends invitations by email only with SMTP_URL and MAIL_FROM together", () => {
    expect(parseEnv({ DATA_DIR: tmp() }).mail).toBeNull();
    expect(() => parseEnv({ DATA_DIR: tmp(), SMTP_URL: "smtp://mail.internal:25" })).toThrow(/MAIL_FROM/);
    expect(() => parseEnv({ DATA_DIR: tmp(), SMTP_URL: "http://mail", MAIL_FROM: "a@b.c" })).toThrow(/SMTP_URL/);
    expect(
      parseEnv({ DATA_DIR: tmp(), SMTP_URL: "smtps://u:p@mail.internal:465", MAIL_FROM: "Mandate <m@x.example>" }).mail,
    ).toEqual({ url: "smtps://u:p@mail.internal:465", from: "Mandate <m@x.example>" });
  });

  it("runs one worker a core by default, and takes a positive whole number up to the ceiling", () => {
    const cores = Math.min(availableParallelism(), MAX_WORKERS);
    expect(parseEnv({ DATA_DIR: tmp() }).WORKERS).toBe(cores);
    expect(parseEnv({ DATA_DIR: tmp(), WORKERS: "3" }).WORKERS).toBe(3);
    expect(parseEnv({ DATA_DIR: tmp(), WORKERS: String(MAX_WORKERS) }).WORKERS).toBe(MAX_WORKERS);
    for (const bad of ["0", "-1", "1.5", "two", String(MAX_WORKERS + 1)]) {
      expect(() => parseEnv({ DATA_DIR: tmp(), WORKERS: bad })).toThrow(/WORKERS/);
    }
  });

  it("lets invitations live 7 days unless told, between an hour and 30 days", () => {
    expect(parseEnv({ DATA_DIR: tmp() }).INVITATION_TTL_HOURS).toBe(168);
    expect(parseEnv({ DATA_DIR: tmp(), INVITATION_TTL_HOURS: "24" }).INVITATION_TTL_HOURS).toBe(24);
    expect(() => parseEnv({ DATA_DIR: tmp(), INVITATION_TTL_HOURS: "0" })).toThrow(/INVITATION_TTL_HOURS/);
    expect(() => parseEnv({ DATA_DIR: tmp(), INVITATION_TTL_HOURS: "721" })).toThrow(/INVITATION_TTL_HOURS/);
  });
});

describe("security settings", () => {
  it("reads lists of addresses and ranges, and refuses anything else naming the variable", () => {
    const env = parseEnv({
      DATA_DIR: tmp(),
      TRUSTED_PROXIES: "10.0.0.1, 10.1.0.0/16,fd00::/8",
      OUTBOUND_ALLOW: "jwks.internal",
    });
    expect(env.trustedProxies).toEqual(["10.0.0.1", "10.1.0.0/16", "fd00::/8"]);
    expect(env.outboundAllow).toEqual(["jwks.internal"]);
    expect(parseEnv({ DATA_DIR: tmp() }).trustedProxies).toEqual([]);
    expect(() => parseEnv({ DATA_DIR: tmp(), TRUSTED_PROXIES: "10.0.0.1; rm -rf" })).toThrow(/TRUSTED_PROXIES/);
  });

  it("has rate limits and database timeouts by default, each configurable, 0 turning a limit off", () => {
    const env = parseEnv({ DATA_DIR: tmp() });
    expect(env.RATE_LIMIT_TOKEN_PER_MINUTE).toBe(300);
    expect(env.DB_STATEMENT_TIMEOUT_MS).toBe(5_000);
    expect(parseEnv({ DATA_DIR: tmp(), RATE_LIMIT_DECISIONS_PER_MINUTE: "0" }).RATE_LIMIT_DECISIONS_PER_MINUTE).toBe(0);
    expect(() => parseEnv({ DATA_DIR: tmp(), DB_STATEMENT_TIMEOUT_MS: "10" })).toThrow(/DB_STATEMENT_TIMEOUT_MS/);
  });
});
