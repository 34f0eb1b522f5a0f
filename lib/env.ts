// The environment, read and validated once. Nothing else in Mandate reads process.env.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { z } from "zod";

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

/** A comma-separated list of addresses, CIDR ranges or host names. */
const addressList = z
  .string()
  .default("")
  .transform((v) =>
    v
      .split(",")
      .map((e) => e.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z
        .string()
        .regex(
          /^[0-9a-zA-Z.:-]+(\/\d{1,3})?$/,
          "use addresses, CIDR ranges (10.0.0.0/8) or host names, separated by commas",
        ),
    ),
  );

/** Requests a minute; 0 turns the limit off. */
const rateLimit = (fallback: number) => z.coerce.number().int().min(0).max(10_000_000).default(fallback);

/**
 * A ceiling against a typo: each worker opens a pool of up to 10 PostgreSQL connections, and a
 * PostgreSQL server takes 100 by default (max_connections).
 */
export const MAX_WORKERS = 32;

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    PUBLIC_URL: optionalString.pipe(z.url().optional()),
    DATA_DIR: z.string().trim().min(1).default("./.data"),
    DATABASE_URL: optionalString.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL")
        .optional(),
    ),
    AUTH_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
    SESSION_MAX_AGE_MINUTES: z.coerce
      .number()
      .int()
      .min(5)
      .max(7 * 24 * 60)
      .default(480),
    BOOTSTRAP_ADMIN_EMAIL: optionalString.pipe(z.email().optional()),
    BOOTSTRAP_ADMIN_PASSWORD: optionalString.pipe(z.string().min(12, "must be at least 12 characters").optional()),
    BOOTSTRAP_ADMIN_CLIENT_ID: optionalString.pipe(
      z
        .string()
        .regex(/^[a-z0-9][a-z0-9._-]{2,63}$/, "use 3 to 64 lower-case letters, digits and . _ -")
        .refine(
          (v) => !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
          "must not look like a UUID",
        )
        .optional(),
    ),
    BOOTSTRAP_ADMIN_CLIENT_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
    SEED_DEMO: z.enum(["auto", "true", "false"]).default("auto"),
    SSO_ISSUER: optionalString.pipe(z.url().optional()),
    SSO_CLIENT_ID: optionalString,
    SSO_CLIENT_SECRET: optionalString,
    SSO_NAME: z.string().trim().min(1).default("Single sign-on"),
    SMTP_URL: optionalString.pipe(
      z
        .string()
        .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
        .optional(),
    ),
    MAIL_FROM: optionalString.pipe(z.string().max(320).optional()),
    TRUSTED_PROXIES: addressList,
    OUTBOUND_ALLOW: addressList,
    RATE_LIMIT_TOKEN_PER_MINUTE: rateLimit(300),
    RATE_LIMIT_INTROSPECTION_PER_MINUTE: rateLimit(6_000),
    RATE_LIMIT_DECISIONS_PER_MINUTE: rateLimit(6_000),
    RATE_LIMIT_PER_ADDRESS_PER_MINUTE: rateLimit(12_000),
    // Dynamic client registration (RFC 7591) at /oauth/register: off unless "true"; registrations
    // a minute per source address when on.
    // DPoP (RFC 9449) nonces: when set, the token endpoint and the decision API require a proof
    // carrying a nonce they handed out (DPoP-Nonce), derived from this secret on every instance.
    DPOP_NONCE_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
    DCR_ENABLED: z.enum(["true", "false"], { error: 'use "true" or "false"' }).default("false"),
    RATE_LIMIT_REGISTRATION_PER_MINUTE: rateLimit(10),
    DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
    DB_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(3_000),
    // Processes serving requests on PostgreSQL (server.ts); the embedded database is one process.
    WORKERS: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_WORKERS)
      .default(() => Math.min(availableParallelism(), MAX_WORKERS)),
    INVITATION_TTL_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(30 * 24)
      .default(7 * 24),
  })
  .superRefine((env, ctx) => {
    if (!!env.BOOTSTRAP_ADMIN_EMAIL !== !!env.BOOTSTRAP_ADMIN_PASSWORD) {
      ctx.addIssue({
        code: "custom",
        path: ["BOOTSTRAP_ADMIN_PASSWORD"],
        message: "BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD go together",
      });
    }
    if (!!env.BOOTSTRAP_ADMIN_CLIENT_ID !== !!env.BOOTSTRAP_ADMIN_CLIENT_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["BOOTSTRAP_ADMIN_CLIENT_SECRET"],
        message: "BOOTSTRAP_ADMIN_CLIENT_ID and BOOTSTRAP_ADMIN_CLIENT_SECRET go together",
      });
    }
    if (env.SSO_ISSUER && !(env.SSO_CLIENT_ID && env.SSO_CLIENT_SECRET)) {
      ctx.addIssue({
        code: "custom",
        path: ["SSO_CLIENT_ID"],
        message: "SSO_ISSUER needs SSO_CLIENT_ID and SSO_CLIENT_SECRET",
      });
    }
    if (env.SMTP_URL && !env.MAIL_FROM) {
      ctx.addIssue({
        code: "custom",
        path: ["MAIL_FROM"],
        message: "is required when SMTP_URL is set (the sender of invitations)",
      });
    }
    if (env.DATABASE_URL && !env.AUTH_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["AUTH_SECRET"],
        message: "is required when DATABASE_URL is set (several instances must share it)",
      });
    }
  });

export type Env = z.infer<typeof schema> & {
  publicUrl: string;
  dataDir: string;
  embedded: boolean;
  authSecret: string;
  sso: { issuer: string; clientId: string; clientSecret: string; name: string } | null;
  mail: { url: string; from: string } | null;
  trustedProxies: string[];
  outboundAllow: string[];
};

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new EnvError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const env = result.data;
  const dataDir = path.resolve(env.DATA_DIR);
  const embedded = !env.DATABASE_URL;
  return {
    ...env,
    dataDir,
    embedded,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ""),
    authSecret: env.AUTH_SECRET ?? embeddedAuthSecret(dataDir),
    sso:
      env.SSO_ISSUER && env.SSO_CLIENT_ID && env.SSO_CLIENT_SECRET
        ? {
            issuer: env.SSO_ISSUER,
            clientId: env.SSO_CLIENT_ID,
            clientSecret: env.SSO_CLIENT_SECRET,
            name: env.SSO_NAME,
          }
        : null,
    mail: env.SMTP_URL && env.MAIL_FROM ? { url: env.SMTP_URL, from: env.MAIL_FROM } : null,
    trustedProxies: env.TRUSTED_PROXIES,
    outboundAllow: env.OUTBOUND_ALLOW,
  };
}

/** In embedded mode the secret is generated once and kept beside the database. */
function embeddedAuthSecret(dataDir: string): string {
  const file = path.join(dataDir, "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
  return secret;
}

let cached: Env | undefined;

/** The process's configuration. Throws EnvError naming every bad variable. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Reads the environment again: for a benchmark that starts one server after another in one process. */
export function reloadEnv(): Env {
  cached = undefined;
  return env();
}
