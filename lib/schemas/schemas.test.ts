import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors";
import { fieldErrors, parseInput } from "../validation";
import { signInSchema } from "./auth";
import { createTenantSchema, tenantSlugSchema } from "./tenants";
import { createUserSchema } from "./users";

const errorsOf = (schema: Parameters<typeof parseInput>[0], input: unknown) => {
  const r = schema.safeParse(input);
  return r.success ? {} : fieldErrors(r.error.issues);
};

describe("sign-in schema", () => {
  it("accepts and normalises a valid email", () => {
    expect(signInSchema.parse({ email: "  Ada@Example.COM ", password: "x" })).toEqual({
      email: "ada@example.com",
      password: "x",
    });
  });

  it("names the email field when it is malformed or missing", () => {
    expect(errorsOf(signInSchema, { email: "not-an-email", password: "x" })).toEqual({
      email: ["Enter a valid email address, like name@example.com."],
    });
    expect(errorsOf(signInSchema, { email: "", password: "x" }).email).toEqual(["Enter your email address."]);
    expect(errorsOf(signInSchema, { password: "x" }).email).toEqual(["Enter your email address."]);
  });

  it("names the password field when it is empty or absurdly long", () => {
    expect(errorsOf(signInSchema, { email: "a@b.co", password: "" })).toEqual({ password: ["Enter your password."] });
    expect(errorsOf(signInSchema, { email: "a@b.co", password: "x".repeat(1025) }).password).toEqual([
      "That password is too long.",
    ]);
  });
});

describe("tenant schemas", () => {
  it.each(["acme", "a1", "big-corp", "x9-y8"])("accepts slug %s", (slug) => {
    expect(tenantSlugSchema.safeParse(slug).success).toBe(true);
  });

  it.each(["A", "Acme", "-acme", "acme-", "ac_me", "a", "sign-in", "api", "oauth", "../etc", "x".repeat(49)])(
    "refuses slug %s",
    (slug) => {
      expect(tenantSlugSchema.safeParse(slug).success).toBe(false);
    },
  );

  it("names both fields of a bad tenant", () => {
    expect(Object.keys(errorsOf(createTenantSchema, { slug: "Bad Slug", name: " " })).sort()).toEqual(["name", "slug"]);
  });
});

describe("user schema", () => {
  it("requires a strong enough password when one is set", () => {
    expect(errorsOf(createUserSchema, { email: "a@b.co", name: "A", password: "short" }).password).toEqual([
      "Use at least 12 characters.",
    ]);
    expect(createUserSchema.safeParse({ email: "a@b.co", name: "A" }).success).toBe(true);
  });

  it("refuses a role that is not global", () => {
    expect(errorsOf(createUserSchema, { email: "a@b.co", name: "A", global_role: "member" }).global_role).toHaveLength(
      1,
    );
  });
});

describe("parseInput", () => {
  it("throws a 400 ValidationError that names every bad field", () => {
    try {
      parseInput(createTenantSchema, { slug: "", name: "" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      const e = error as ValidationError;
      expect(e.status).toBe(400);
      expect(e.code).toBe("invalid_request");
      expect(Object.keys(e.details ?? {}).sort()).toEqual(["name", "slug"]);
    }
  });
});
