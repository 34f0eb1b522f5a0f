import "server-only";
import { createHash } from "node:crypto";

// The Cedar schema Mandate's policies are written and validated against, derived from Mandate's
// own model: agents (with tenant, owner, environment, roles and free attributes as tags), users,
// tenants, resources by type, and one action per scope. Context carries the time, the source
// address and what the caller supplies.

import { CONTEXT_FIELD_TYPES, RESOURCE_TYPE_LIST } from "@/lib/schemas/decision-vocabulary";

/** The resource types a decision may name. Their attributes beyond tenant/owner are tags. */
export const RESOURCE_TYPES = RESOURCE_TYPE_LIST;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/** Context fields callers may supply, with their Cedar types (all optional). */
export const CONTEXT_FIELDS = CONTEXT_FIELD_TYPES;

export function cedarSchema(actions: readonly string[]): string {
  const resources = RESOURCE_TYPES.join(", ");
  const optional = Object.entries(CONTEXT_FIELDS)
    .map(([name, type]) => `  ${name}?: ${type},`)
    .join("\n");
  const lines = [
    "entity Tenant = { slug: String };",
    "entity User in [Tenant] = { email: String, active: Bool };",
    "entity Role;",
    "entity Agent in [Tenant, Role] = {",
    "  name: String,",
    "  tenant: Tenant,",
    "  owner: User,",
    "  environment: String,",
    "  roles: Set<String>,",
    "} tags String;",
    ...RESOURCE_TYPES.map((t) => `entity ${t} = { tenant?: Tenant, owner?: String } tags String;`),
    "type RequestContext = {",
    "  // UTC, at the moment of the decision.",
    "  hour: Long,",
    "  // 1 = Monday … 7 = Sunday (UTC).",
    "  weekday: Long,",
    "  now: Long,",
    "  source_ip: ipaddr,",
    "  // The user the agent acts for, when it acts for one (through every hop of a delegation).",
    "  on_behalf_of?: User,",
    "  // The agents of the token's delegation chain, from its origin to the caller (token exchange).",
    "  chain: Set<Agent>,",
    "  // How many exchanges deep the caller's token is: 0 for a token that was not exchanged.",
    "  depth: Long,",
    "  // The resource server the caller's token is for (RFC 8707): Mandate's API (PUBLIC_URL/api/v1), or",
    "  // the server relaying it to ask, e.g. an MCP server asking before each tool call.",
    "  audience: String,",
    optional,
    "};",
  ];
  if (actions.length) {
    const names = [...new Set(actions)].sort().map((a) => JSON.stringify(a));
    lines.push(
      `action ${names.join(", ")} appliesTo { principal: [Agent], resource: [${resources}], context: RequestContext };`,
    );
  }
  return lines.join("\n");
}

export function schemaKey(actions: readonly string[]): string {
  return createHash("sha256")
    .update([...new Set(actions)].sort().join("\n"))
    .digest("base64url")
    .slice(0, 22);
}
