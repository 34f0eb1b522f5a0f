import "server-only";
import { bulkRevokeSchema, grantListSchema, revocationTargetSchema } from "@/lib/schemas/grants";
import { reasonBodySchema } from "@/lib/schemas/reason";
import { assertAgentInTenant } from "../../agents/agent-access";
import { prisma } from "../../db";
import { getGrant, listGrants } from "../../grants/list-grants";
import {
  killAgent,
  previewRevocation,
  restoreTenantConsent,
  revokeGrant,
  revokeGrants,
  revokeUserGrants,
  withdrawTenantConsent,
} from "../../grants/revoke";
import { defineOperations } from "../operation";
import { cursorPage } from "../pages";

// Grants (people's consent to agents) and every way of revoking them: one, a selection, a
// person's, a tenant's consent to an agent, the kill switch.

export const grantOperations = defineOperations({
  listGrants: {
    method: "GET",
    path: "/grants",
    tag: "Grants",
    summary:
      "Grants you can see, newest first, with scopes and their risk, last use and live token count; paged by cursor",
    description:
      "Pass next_cursor (or prev_cursor) back as `cursor` for the next (or previous) page. `total` is exact up to 10,000; beyond it `total_capped` is true.",
    query: grantListSchema,
    run: async ({ caller, query }) => cursorPage(await listGrants(caller, query)),
  },
  getGrant: {
    method: "GET",
    path: "/grants/{id}",
    tag: "Grants",
    summary: "One grant",
    run: ({ caller, params }) => getGrant(caller, params.id),
  },
  previewRevocation: {
    method: "POST",
    path: "/grants/impact",
    tag: "Grants",
    summary:
      "What a revocation would take (grants, live tokens, users) without changing anything: kind grants, user, consent or kill",
    body: revocationTargetSchema,
    run: ({ caller, body }) => previewRevocation(caller, body),
  },
  revokeGrants: {
    method: "POST",
    path: "/grants/revoke",
    tag: "Grants",
    summary: "Revoke several grants at once (up to 100): all of them or none; already revoked ones are skipped",
    body: bulkRevokeSchema,
    run: ({ caller, body }) => revokeGrants(caller, body),
  },
  revokeUserGrants: {
    method: "POST",
    path: "/users/{id}/grants/revoke",
    tag: "Grants",
    summary: "Offboarding: revoke every grant a person gave, in the tenants where you revoke grants",
    body: reasonBodySchema,
    run: ({ caller, params, body }) => revokeUserGrants(caller, params.id, body),
  },
  revokeGrant: {
    method: "DELETE",
    path: "/grants/{id}",
    tag: "Grants",
    summary: "Revoke a grant and every token of it, at once",
    body: reasonBodySchema,
    run: ({ caller, params, body }) => revokeGrant(caller, params.id, body),
  },
  killAgent: {
    method: "POST",
    path: "/agents/{id}/kill",
    tag: "Grants",
    summary: "Kill switch: revoke everything the agent holds, everywhere, and suspend it",
    body: reasonBodySchema,
    run: ({ caller, params, body }) => killAgent(caller, params.id, body),
  },
  withdrawConsent: {
    method: "DELETE",
    path: "/tenants/{tenant}/agents/{id}/consent",
    tag: "Grants",
    summary:
      "Withdraw the tenant's consent from an agent: its grants and tokens there are revoked, and it gets no new ones",
    body: reasonBodySchema,
    run: async ({ caller, params, body }) => {
      await assertAgentInTenant(await prisma(), caller, params.tenant, params.id);
      return withdrawTenantConsent(caller, params.id, body);
    },
  },
  restoreConsent: {
    method: "PUT",
    path: "/tenants/{tenant}/agents/{id}/consent",
    tag: "Grants",
    summary: "Restore the tenant's consent to an agent (revoked grants and tokens stay revoked)",
    body: reasonBodySchema,
    run: async ({ caller, params, body }) => {
      await assertAgentInTenant(await prisma(), caller, params.tenant, params.id);
      return restoreTenantConsent(caller, params.id, body);
    },
  },
});
