import { z } from "zod";
import { hasControlCharacters } from "../validation";
import { emailSchema, newPasswordSchema } from "./auth";
import { cursorSchema, pageNumberSchema, pageSizeSchema, searchSchema } from "./pagination";
import { reasonSchema } from "./reason";

/** Roles in one tenant, as people and the API name them (the permission map says tenant_owner). */
export const MEMBER_ROLES = ["owner", "auditor", "member"] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];
export const MEMBER_ROLE_LABELS: Record<MemberRole, string> = {
  owner: "Tenant owner",
  auditor: "Auditor",
  member: "Member",
};

export const GLOBAL_ROLES = ["security_admin", "auditor"] as const;
export type GlobalRoleName = (typeof GLOBAL_ROLES)[number];
export const GLOBAL_ROLE_LABELS: Record<GlobalRoleName, string> = {
  security_admin: "Security admin (every tenant)",
  auditor: "Auditor (every tenant)",
};

const memberRoleSchema = z.enum(MEMBER_ROLES, { error: "Use owner, auditor or member." });
const globalRoleSchema = z.enum(GLOBAL_ROLES, { error: "Use security_admin or auditor." });

const personNameSchema = z
  .string({ error: "Enter a name." })
  .trim()
  .min(1, "Enter a name.")
  .max(100, "Use at most 100 characters.")
  .refine((v) => !hasControlCharacters(v), "Use letters, not control characters.");

/** The system's own user creation (bootstrap, demo seed, tests): no caller, no invitation. */
export const createUserSchema = z.object({
  email: emailSchema,
  name: personNameSchema,
  password: newPasswordSchema.optional(),
  global_role: globalRoleSchema.nullable().optional(),
});
export type CreateUserInput = z.input<typeof createUserSchema>;

/**
 * A person added to Mandate: with a tenant and a role in it, or with a role across every tenant.
 * Without a password they get an invitation; a password is for scripted set-ups by security-admin
 * automation clients only.
 */
export const newPersonSchema = z
  .object({
    email: emailSchema,
    name: personNameSchema.optional(),
    /** A tenant's slug or id. */
    tenant: z.string({ error: "Name a tenant by its slug or id." }).trim().min(1).max(100).optional(),
    role: memberRoleSchema.optional(),
    global_role: globalRoleSchema.optional(),
    password: newPasswordSchema.optional(),
  })
  .superRefine((v, ctx) => {
    const inTenant = v.tenant !== undefined || v.role !== undefined;
    if (inTenant && v.global_role) {
      ctx.addIssue({
        code: "custom",
        path: ["global_role"],
        message: "Give a tenant and a role, or a global role, not both.",
      });
    } else if (!inTenant && !v.global_role) {
      ctx.addIssue({ code: "custom", path: ["tenant"], message: "Give a tenant and a role, or a global role." });
    } else if (inTenant && !v.tenant) {
      ctx.addIssue({ code: "custom", path: ["tenant"], message: "Choose the tenant the role applies in." });
    } else if (inTenant && !v.role) {
      ctx.addIssue({ code: "custom", path: ["role"], message: "Choose a role: owner, auditor or member." });
    }
    if (v.password !== undefined && !v.name) {
      ctx.addIssue({ code: "custom", path: ["name"], message: "Enter a name." });
    }
  });

/** Accepting an invitation with a password: the name the person goes by and their password, twice. */
export const acceptInvitationSchema = z
  .object({
    name: personNameSchema,
    password: newPasswordSchema,
    confirm: z.string({ error: "Repeat the password." }).max(1024),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The two passwords differ." });

/** An invitation link's token: 256 random bits, base64url. Anything else names no invitation. */
export const invitationTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

const PERSON_STATUSES = ["active", "deactivated", "all"] as const;

/** People lists: by name, paged by cursor; search by name or email. */
export const userListSchema = z.object({
  cursor: cursorSchema,
  page_size: pageSizeSchema(),
  /** Only the members of this tenant (slug or id). */
  tenant: z.string().trim().min(1).max(100).optional(),
  status: z.enum(PERSON_STATUSES, { error: "Use active, deactivated or all." }).default("all"),
  q: searchSchema,
});

const INVITATION_STATUSES = ["pending", "accepted", "expired", "revoked", "all"] as const;
export type InvitationStatus = Exclude<(typeof INVITATION_STATUSES)[number], "all">;

export const invitationListSchema = z.object({
  cursor: cursorSchema,
  page_size: pageSizeSchema(),
  tenant: z.string().trim().min(1).max(100).optional(),
  status: z.enum(INVITATION_STATUSES, { error: "Use pending, accepted, expired, revoked or all." }).default("pending"),
});

/** Adding an existing person to a tenant: by id or email. */
export const addMemberSchema = z.object({
  user: z
    .string({ error: "Name the person by id or email." })
    .trim()
    .min(1, "Name the person by id or email.")
    .max(254),
  role: memberRoleSchema,
});

/** A tenant's members: by name, offset pages (with a total), a role filter and a search. */
export const memberListSchema = z.object({
  page: pageNumberSchema,
  page_size: pageSizeSchema(50),
  role: memberRoleSchema.optional(),
  q: searchSchema,
});

export const changeMemberRoleSchema = z.object({ role: memberRoleSchema });

/** Their agents may go to another accountable person in the same step (id or email). */
const transferSchema = z.string().trim().min(1).max(254).optional();

export const removeMemberSchema = z.object({
  reason: reasonSchema,
  transfer_agents_to: transferSchema,
});

export const deactivateUserSchema = z.object({
  reason: reasonSchema,
  transfer_agents_to: transferSchema,
});
