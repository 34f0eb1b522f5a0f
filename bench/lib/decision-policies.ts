// The policies and decision requests of the decisions benchmark (bench/decisions.ts): Cedar policies
// as a security team would write them (permits and forbids on one action each, a few on any action,
// conditions on the agent's tags and environment, the resource's classification and tenant, and the
// amount or recipient in the context), and the requests agents send. Seeded: the same on every run
// and backend, and the first 10 and 100 policies are the start of the 1,000.
import { seededRandom } from "./harness";

/** The actions (scopes) policies name, with the resource type each acts on and its share of requests. */
export const ACTIONS = [
  { name: "email.send", resource: "Email", weight: 20 },
  { name: "documents.read", resource: "Document", weight: 25 },
  { name: "documents.write", resource: "Document", weight: 8 },
  { name: "payments.create", resource: "Payment", weight: 10 },
  { name: "contacts.read", resource: "Contact", weight: 12 },
  { name: "calendar.write", resource: "CalendarEvent", weight: 8 },
  { name: "tickets.update", resource: "Ticket", weight: 10 },
  { name: "files.read", resource: "File", weight: 7 },
] as const;
export type ActionName = (typeof ACTIONS)[number]["name"];
const resourceOf = (action: string) => ACTIONS.find((a) => a.name === action)?.resource ?? "Resource";

/** Global roles: every agent holds the first (it carries the scopes); finance agents the second. */
export const ROLES = { operator: "bench-operator", payments: "bench-payments" } as const;

export const TEAMS = ["finance", "sales", "support", "ops", "engineering"] as const;
const REGIONS = ["eu", "us", "apac"] as const;
const CLEARANCES = ["low", "standard", "high"] as const;
const ENVIRONMENTS = ["production", "staging", "development"] as const;
const CLASSIFICATIONS = { public: 30, internal: 40, confidential: 22, secret: 8 };
const PARTNER_DOMAINS = ["partner-1.example", "partner-2.example", "partner-3.example", "customer.example"];
const BLOCKED_DOMAINS = ["competitor.example", "rival.example", "paste.example"];
const PURPOSES = ["marketing-scrape", "model-training", "bulk-export"];

export interface PlannedAgent {
  environment: (typeof ENVIRONMENTS)[number];
  attributes: Record<string, string>;
  finance: boolean;
}

/** The agents that ask: mixed teams, regions, clearances and environments; one is quarantined. */
export function planAgents(n: number): PlannedAgent[] {
  const rnd = seededRandom(51);
  return Array.from({ length: n }, (_, i) => {
    const team = TEAMS[i % TEAMS.length];
    const attributes: Record<string, string> = {
      team,
      region: rnd.pick(REGIONS),
      clearance: rnd.pick(CLEARANCES),
    };
    if (i === n - 1) attributes.quarantined = "true";
    return { environment: ENVIRONMENTS[i % ENVIRONMENTS.length], attributes, finance: team === "finance" };
  });
}

export interface PlannedPolicy {
  name: string;
  /** "A" (the agents' tenant), "B" (another tenant: never applies), or null (global). */
  tenant: "A" | "B" | null;
  text: string;
  /** The action it names, or null for any action. */
  action: string | null;
}

/** The first ten: one or two per common action, a forbid on email, an approval, a quarantine. */
const BASE: PlannedPolicy[] = [
  {
    name: "Email from production and staging agents",
    action: "email.send",
    text: `permit (principal is Agent, action == Action::"email.send", resource is Email)
when { principal.environment != "development" };`,
  },
  {
    name: "No email to competitors",
    action: "email.send",
    text: `forbid (principal, action == Action::"email.send", resource)
when { context has recipient_domain && context.recipient_domain == "competitor.example" };`,
  },
  {
    name: "Documents of the agent's own tenant",
    action: "documents.read",
    text: `permit (principal is Agent, action == Action::"documents.read", resource is Document)
when { resource has tenant && resource.tenant == principal.tenant };`,
  },
  {
    name: "Engineering writes its tenant's documents",
    action: "documents.write",
    text: `permit (principal is Agent, action == Action::"documents.write", resource is Document)
when { principal.hasTag("team") && principal.getTag("team") == "engineering" && resource has tenant && resource.tenant == principal.tenant };`,
  },
  {
    name: "Finance pays up to 1,000",
    action: "payments.create",
    text: `permit (principal in Role::"${ROLES.payments}", action == Action::"payments.create", resource is Payment)
when { context has amount && context.amount <= 1000 };`,
  },
  {
    name: "Payments over 1,000 need approval",
    action: "payments.create",
    text: `@needs_approval
permit (principal in Role::"${ROLES.payments}", action == Action::"payments.create", resource is Payment)
when { context has amount && context.amount > 1000 };`,
  },
  {
    name: "Sales and support read contacts",
    action: "contacts.read",
    text: `permit (principal is Agent, action == Action::"contacts.read", resource is Contact)
when { principal.hasTag("team") && ["sales", "support"].contains(principal.getTag("team")) };`,
  },
  {
    name: "Support updates tickets",
    action: "tickets.update",
    text: `permit (principal is Agent, action == Action::"tickets.update", resource is Ticket)
when { principal.hasTag("team") && principal.getTag("team") == "support" };`,
  },
  {
    name: "Files of the own tenant, secrets excepted",
    action: "files.read",
    text: `permit (principal is Agent, action == Action::"files.read", resource is File)
when { resource has tenant && resource.tenant == principal.tenant && !(resource.hasTag("classification") && resource.getTag("classification") == "secret") };`,
  },
  {
    name: "Quarantined agents do nothing",
    action: null,
    text: `forbid (principal, action, resource)
when { principal.hasTag("quarantined") && principal.getTag("quarantined") == "true" };`,
  },
].map((p) => ({ ...p, tenant: null }));

type Template = (rnd: ReturnType<typeof seededRandom>) => Omit<PlannedPolicy, "tenant">;
const q = JSON.stringify;
const tag = (on: string, key: string, value: string, op = "==") =>
  `${on}.hasTag(${q(key)}) && ${on}.getTag(${q(key)}) ${op} ${q(value)}`;

/** Policy shapes after the first ten, with their weights: about 95 % name one action. */
const TEMPLATES: [number, Template][] = [
  [
    20,
    (rnd) => {
      const { name: a, resource: t } = rnd.pick(ACTIONS);
      const team = rnd.pick(TEAMS);
      const env = rnd.pick(ENVIRONMENTS);
      return {
        name: `${a}: ${team} agents in ${env}`,
        action: a,
        text: `permit (principal is Agent, action == Action::${q(a)}, resource is ${t})\nwhen { ${tag("principal", "team", team)} && principal.environment == ${q(env)} };`,
      };
    },
  ],
  [
    12,
    (rnd) => {
      const { name: a, resource: t } = rnd.pick(ACTIONS);
      const region = rnd.pick(REGIONS);
      return {
        name: `${a}: operators in ${region}, secrets excepted`,
        action: a,
        text: `permit (principal in Role::${q(ROLES.operator)}, action == Action::${q(a)}, resource is ${t})\nwhen { ${tag("principal", "region", region)} && !(${tag("resource", "classification", "secret")}) };`,
      };
    },
  ],
  [
    12,
    (rnd) => {
      const { name: a, resource: t } = rnd.pick(ACTIONS);
      const clearance = rnd.pick(CLEARANCES);
      return {
        name: `${a}: own tenant at ${clearance} clearance`,
        action: a,
        text: `permit (principal is Agent, action == Action::${q(a)}, resource is ${t})\nwhen { resource has tenant && resource.tenant == principal.tenant && ${tag("principal", "clearance", clearance)} };`,
      };
    },
  ],
  [
    10,
    (rnd) => {
      const { name: a } = rnd.pick(ACTIONS);
      const level = rnd.pick(["confidential", "secret"] as const);
      const clearance = rnd.pick(["low", "standard"] as const);
      return {
        name: `${a}: no ${level} resources at ${clearance} clearance`,
        action: a,
        text: `forbid (principal, action == Action::${q(a)}, resource)\nwhen { ${tag("resource", "classification", level)} && ${tag("principal", "clearance", clearance)} };`,
      };
    },
  ],
  [
    6,
    (rnd) => {
      const { name: a } = rnd.pick(ACTIONS);
      return {
        name: `${a}: development agents keep off confidential resources`,
        action: a,
        text: `forbid (principal, action == Action::${q(a)}, resource)\nwhen { principal.environment == "development" && ${tag("resource", "classification", "confidential")} };`,
      };
    },
  ],
  [
    6,
    (rnd) => {
      const domain = rnd.pick(PARTNER_DOMAINS);
      const env = rnd.pick(ENVIRONMENTS);
      return {
        name: `email.send: ${env} agents to ${domain}`,
        action: "email.send",
        text: `permit (principal is Agent, action == Action::"email.send", resource is Email)\nwhen { context has recipient_domain && context.recipient_domain == ${q(domain)} && principal.environment == ${q(env)} };`,
      };
    },
  ],
  [
    8,
    (rnd) => {
      // Most of a blocklist names domains nobody writes to; a few are real.
      const domain = rnd.next() < 0.2 ? rnd.pick(BLOCKED_DOMAINS) : `blocked-${rnd.int(1, 10_000)}.example`;
      return {
        name: `email.send: never to ${domain}`,
        action: "email.send",
        text: `forbid (principal, action == Action::"email.send", resource)\nwhen { context has recipient_domain && context.recipient_domain == ${q(domain)} };`,
      };
    },
  ],
  [
    6,
    (rnd) => {
      const limit = rnd.pick([250, 500, 1000, 2500]);
      const team = rnd.pick(TEAMS);
      return {
        name: `payments.create: ${team} up to ${limit}`,
        action: "payments.create",
        text: `permit (principal is Agent, action == Action::"payments.create", resource is Payment)\nwhen { context has amount && context.amount <= ${limit} && ${tag("principal", "team", team)} };`,
      };
    },
  ],
  [
    5,
    (rnd) => {
      const limit = rnd.pick([5000, 10_000, 15_000]);
      return {
        name: `payments.create: over ${limit} only from production`,
        action: "payments.create",
        text: `forbid (principal, action == Action::"payments.create", resource)\nwhen { context has amount && context.amount > ${limit} && principal.environment != "production" };`,
      };
    },
  ],
  [
    2,
    (rnd) => {
      const currency = rnd.pick(["XTS", "XXX", "RUB", "KPW"]);
      return {
        name: `payments.create: never in ${currency}`,
        action: "payments.create",
        text: `forbid (principal, action == Action::"payments.create", resource)\nwhen { context has currency && context.currency == ${q(currency)} };`,
      };
    },
  ],
  [
    3,
    (rnd) => {
      const limit = rnd.pick([2000, 5000, 10_000]);
      return {
        name: `payments.create: over ${limit} needs approval`,
        action: "payments.create",
        text: `@needs_approval\npermit (principal is Agent, action == Action::"payments.create", resource is Payment)\nwhen { context has amount && context.amount > ${limit} };`,
      };
    },
  ],
  [
    2,
    (rnd) => {
      const purpose = rnd.pick(PURPOSES);
      return {
        name: `Nothing for ${purpose}`,
        action: null,
        text: `forbid (principal, action, resource)\nwhen { context has purpose && context.purpose == ${q(purpose)} };`,
      };
    },
  ],
  [
    2,
    (rnd) => {
      const t = rnd.pick(ACTIONS).resource;
      return {
        name: `Ops in production may act on public ${t} resources`,
        action: null,
        text: `permit (principal is Agent, action, resource is ${t})\nwhen { ${tag("principal", "team", "ops")} && principal.environment == "production" && ${tag("resource", "classification", "public")} };`,
      };
    },
  ],
  [
    1,
    () => ({
      name: "Nothing across tenants",
      action: null,
      text: `forbid (principal, action, resource)\nwhen { resource has tenant && !(resource.tenant == principal.tenant) };`,
    }),
  ],
];

/** The template at r (0 ≤ r < 1) of the weighted list. */
function pickTemplate(r: number): Template {
  let left = r * TEMPLATES.reduce((s, [w]) => s + w, 0);
  for (const [weight, template] of TEMPLATES) {
    if (left < weight) return template;
    left -= weight;
  }
  return TEMPLATES[0][1];
}

/**
 * n policies; the first n of a longer list are the same, so that 10, 100 and 1,000 are seeded one
 * after another. After the first ten, 80 % are global, 10 % the agents' tenant's, 10 % another
 * tenant's (they never apply: the tenant filter must drop them).
 */
export function planPolicies(n: number): PlannedPolicy[] {
  const rnd = seededRandom(5);
  const policies = BASE.slice(0, n);
  for (let i = policies.length; i < n; i++) {
    const p = pickTemplate(rnd.next())(rnd);
    const t = rnd.next();
    // Names are unique per tenant: the index keeps look-alikes apart.
    policies.push({ ...p, name: `${p.name} (#${i})`, tenant: t < 0.8 ? null : t < 0.9 ? "A" : "B" });
  }
  return policies;
}

export interface DecisionBody {
  action: ActionName;
  resource: { type: string; id: string; attributes: Record<string, string> };
  context: Record<string, string | number>;
}

/** A generator of decision requests as agents send them; tenants are the slugs of A and B. */
export function requestGenerator(seed: number, tenants: { A: string; B: string }) {
  const rnd = seededRandom(seed);
  const actionWeights = Object.fromEntries(ACTIONS.map((a) => [a.name, a.weight])) as Record<ActionName, number>;
  return (): DecisionBody => {
    const action = rnd.weighted(actionWeights);
    const type = resourceOf(action);
    const attributes: Record<string, string> = { classification: rnd.weighted(CLASSIFICATIONS) };
    if (type === "Document" || type === "File" || type === "Contact") {
      attributes.tenant = rnd.next() < 0.92 ? tenants.A : tenants.B;
    }
    const context: Record<string, string | number> = {};
    if (action === "email.send") {
      const r = rnd.next();
      context.recipient_domain =
        r < 0.06 ? rnd.pick(BLOCKED_DOMAINS) : r < 0.4 ? rnd.pick(PARTNER_DOMAINS) : `mail-${rnd.int(1, 500)}.example`;
    }
    if (action === "payments.create") {
      const r = rnd.next();
      // Mostly small payments, some medium, a few large; amounts in steps of 10.
      context.amount = 10 * (r < 0.7 ? rnd.int(1, 100) : r < 0.92 ? rnd.int(100, 500) : rnd.int(500, 2000));
      context.currency = rnd.next() < 0.02 ? "XTS" : rnd.pick(["EUR", "USD", "GBP"]);
    }
    if (rnd.next() < 0.02) context.purpose = rnd.pick(PURPOSES);
    return { action, resource: { type, id: `${type.toLowerCase()}-${rnd.int(1, 5000)}`, attributes }, context };
  };
}
