import "server-only";
import type { AgentStatus } from "@/lib/agent-lifecycle";
import type { AgentEnvironment } from "@/lib/schemas/agents";
import type { Risk } from "@/lib/schemas/catalog";
import { environmentToDb, riskToDb, statusToDb } from "../agents/mappers";
import { generateClientSecret } from "../agents/secrets";
import type { Db } from "../db";

// The demo world's agents: about thirty across the three tenants, in every state, some with a
// review coming up, one overdue (the start-up sweep suspends it) and one orphaned.

const SCOPES: [string, string, Risk][] = [
  ["email.read", "Read mail in the user's mailbox", "low"],
  ["email.send", "Send email as the user or the agent", "medium"],
  ["contacts.read", "Read CRM contacts", "low"],
  ["contacts.write", "Create and change CRM contacts", "medium"],
  ["crm.records.write", "Change CRM deals and records", "medium"],
  ["calendar.write", "Create and move calendar events", "low"],
  ["documents.read", "Read documents in the tenant's drive", "low"],
  ["documents.write", "Create and edit documents", "medium"],
  ["tickets.write", "Open, answer and close support tickets", "low"],
  ["payments.create", "Create outgoing payments", "high"],
  ["payments.approve", "Approve outgoing payments", "high"],
  ["hr.records.read", "Read employee records", "high"],
];

const ROLES: [string, string, string[]][] = [
  ["Email assistant", "Reads and sends mail, looks up contacts", ["email.read", "email.send", "contacts.read"]],
  ["CRM updater", "Keeps contacts and deals current", ["contacts.read", "contacts.write", "crm.records.write"]],
  ["Payments bot", "Prepares outgoing payments from documents", ["payments.create", "documents.read"]],
  ["Reader", "Read-only access to documents, contacts and mail", ["documents.read", "contacts.read", "email.read"]],
  ["Scheduler", "Books meetings", ["calendar.write", "contacts.read"]],
  ["Support agent", "Answers support tickets", ["tickets.write", "email.send", "documents.read"]],
];

type Seed = [
  name: string,
  status: AgentStatus,
  env: AgentEnvironment,
  roles: string[],
  reviewInDays: number | null,
  description: string,
];

const AGENTS: Record<string, { owner: string; backup?: string; agents: Seed[] }> = {
  acme: {
    owner: "owner@acme.example",
    backup: "dana@acme.example",
    agents: [
      [
        "support-triage",
        "active",
        "production",
        ["Support agent"],
        71,
        "Sorts incoming support mail and drafts first answers",
      ],
      ["crm-sync", "active", "production", ["CRM updater"], 45, "Copies signed deals from email into the CRM"],
      ["invoice-bot", "active", "production", ["Payments bot"], 30, "Pays approved supplier invoices"],
      ["calendar-scheduler", "active", "staging", ["Scheduler"], 88, "Books customer calls"],
      ["research-assistant", "pending", "development", ["Reader"], null, "Summarises market research"],
      ["lead-enricher", "suspended", "production", ["CRM updater"], 20, "Adds firmographics to new leads"],
      ["legacy-mailer", "retired", "production", [], null, "Old newsletter sender, replaced"],
      ["contract-reviewer", "active", "production", ["Reader"], 5, "Flags risky clauses in contracts"],
      ["expense-auditor", "active", "production", ["Reader"], -2, "Checks expense reports against policy"],
      ["warehouse-watcher", "active", "staging", ["Warehouse reader"], 60, "Watches stock levels"],
      ["onboarding-guide", "active", "staging", ["Email assistant"], 12, "Welcomes new customers"],
    ],
  },
  globex: {
    owner: "owner@globex.example",
    agents: [
      ["trading-signals", "active", "production", ["Reader"], 50, "Summarises market signals for traders"],
      ["hr-helpdesk", "active", "production", ["Support agent"], 10, "Answers HR policy questions"],
      ["doc-summarizer", "active", "development", ["Reader"], 80, "Summarises long documents"],
      ["procurement-agent", "pending", "staging", ["Payments bot"], null, "Raises purchase orders"],
      ["fraud-watch", "suspended", "production", ["Reader"], 40, "Scores suspicious transactions"],
      ["old-chatbot", "retired", "production", [], null, "First-generation website chat"],
      ["sales-forecaster", "active", "staging", ["CRM updater"], 66, "Forecasts the quarter from CRM data"],
      ["ticket-router", "active", "production", ["Support agent"], 33, "Routes tickets to the right team"],
      ["compliance-scanner", "active", "production", ["Reader"], 2, "Scans documents for compliance issues"],
    ],
  },
  initech: {
    owner: "owner@initech.example",
    agents: [
      ["tps-report-bot", "active", "production", ["Email assistant"], 70, "Files TPS reports with the new cover sheet"],
      ["printer-monitor", "active", "development", ["Reader"], 90, "Watches printer queues"],
      ["code-reviewer", "pending", "development", ["Reader"], null, "Reviews pull requests"],
      ["meeting-notes", "active", "staging", ["Scheduler"], 25, "Takes notes in meetings"],
      ["payroll-checker", "suspended", "production", ["Payments bot"], 15, "Checks payroll runs before they go out"],
      ["y2k-migrator", "retired", "production", [], null, "Migrated date fields, long ago"],
      ["stapler-tracker", "active", "production", ["Reader"], 1, "Knows where the red stapler is"],
      ["build-bot", "active", "development", ["Support agent"], 55, "Posts build results"],
      ["budget-analyst", "pending", "staging", ["Reader"], null, "Drafts budget variance reports"],
    ],
  },
};

/** Where the demo's delegated agent (calendar-scheduler) receives authorization codes. */
export const DEMO_REDIRECT_URI = "http://localhost:8787/callback";

/** Agents people have consented to in the demo world (besides the scheduler). */
const DELEGATED = ["crm-sync", "support-triage", "invoice-bot", "doc-summarizer", "stapler-tracker", "tps-report-bot"];

/** A former employee: deactivated, still the owner of one agent, which is therefore orphaned. */
export const FORMER_USER = { email: "former@acme.example", name: "Morgan Blake" };

const DAY = 86_400_000;
const SEED = { actorType: "system", actorLabel: "demo seed" } as const;

export async function seedAgents(db: Db, tenants: Record<string, string>, adminEmail: string) {
  const now = Date.now();
  const scopeIds: Record<string, string> = {};
  for (const [name, description, risk] of SCOPES) {
    scopeIds[name] = (await db.scope.create({ data: { name, description, risk: riskToDb(risk) } })).id;
  }
  const acmeScope = await db.scope.create({
    data: {
      tenantId: tenants.acme,
      name: "acme.warehouse.read",
      description: "Read Acme's warehouse stock levels",
      risk: "LOW",
    },
  });
  const roleIds: Record<string, string> = {};
  for (const [name, description, scopes] of ROLES) {
    const role = await db.role.create({
      data: { name, description, scopes: { create: scopes.map((s) => ({ scopeId: scopeIds[s] })) } },
    });
    roleIds[name] = role.id;
  }
  roleIds["Warehouse reader"] = (
    await db.role.create({
      data: {
        tenantId: tenants.acme,
        name: "Warehouse reader",
        description: "Acme's own: reads stock levels",
        scopes: { create: [{ scopeId: acmeScope.id }, { scopeId: scopeIds["documents.read"] }] },
      },
    })
  ).id;

  const former = await db.user.create({ data: { ...FORMER_USER, deactivatedAt: new Date(now - 20 * DAY) } });
  await db.membership.create({ data: { tenantId: tenants.acme, userId: former.id, role: "MEMBER" } });
  const userId = async (email: string) => (await db.user.findUniqueOrThrow({ where: { email } })).id;
  const admin = await userId(adminEmail);
  const memberId = await userId("member@acme.example");

  for (const [slug, { owner, backup, agents }] of Object.entries(AGENTS)) {
    const ownerId = await userId(owner);
    const backupId = backup ? await userId(backup) : null;
    for (const [index, [name, status, environment, roles, reviewInDays, description]] of agents.entries()) {
      const createdAt = new Date(now - (120 - index * 3) * DAY);
      const activatedAt = status === "pending" ? null : new Date(createdAt.getTime() + DAY);
      const agent = await db.agent.create({
        data: {
          tenantId: tenants[slug],
          name,
          description,
          // One agent is a plain member's (they see it on Overview and renew it), one a leaver's.
          ownerId: name === "onboarding-guide" ? former.id : name === "contract-reviewer" ? memberId : ownerId,
          backupOwnerId: name === "calendar-scheduler" ? backupId : null,
          // These act for people, with their consent (the scheduler books calls in their own
          // calendars; the others hold the demo's grants, server/startup/seed-grants.ts).
          redirectUris:
            name === "calendar-scheduler"
              ? [DEMO_REDIRECT_URI]
              : DELEGATED.includes(name)
                ? [`https://${name}.agents.example/oauth/callback`]
                : [],
          environment: environmentToDb(environment),
          attributes: {
            team: slug === "acme" ? "operations" : "platform",
            data_classification: environment === "production" ? "confidential" : "internal",
          },
          status: statusToDb(status),
          statusChangedAt: activatedAt ?? createdAt,
          activatedAt,
          reviewDueAt: reviewInDays === null ? null : new Date(now + reviewInDays * DAY),
          createdById: admin,
          createdByLabel: adminEmail,
          createdAt,
        },
      });
      const history: {
        fromStatus: "PENDING" | "ACTIVE" | "SUSPENDED" | null;
        toStatus: "PENDING" | "ACTIVE" | "SUSPENDED" | "RETIRED";
        reason: string;
        at: Date;
      }[] = [{ fromStatus: null, toStatus: "PENDING", reason: "Registered", at: createdAt }];
      if (activatedAt)
        history.push({
          fromStatus: "PENDING",
          toStatus: "ACTIVE",
          reason: "Approved by the tenant owner",
          at: activatedAt,
        });
      if (status === "suspended")
        history.push({
          fromStatus: "ACTIVE",
          toStatus: "SUSPENDED",
          reason: "Unexpected request volume under investigation",
          at: new Date(now - 3 * DAY),
        });
      if (status === "retired")
        history.push({
          fromStatus: "ACTIVE",
          toStatus: "RETIRED",
          reason: "Replaced by a newer agent",
          at: new Date(now - 10 * DAY),
        });
      await db.agentStatusChange.createMany({
        data: history.map((h) => ({ ...h, agentId: agent.id, actorType: SEED.actorType, actorLabel: SEED.actorLabel })),
      });
      for (const role of roles) {
        await db.roleAssignment.create({ data: { agentId: agent.id, roleId: roleIds[role], tenantId: tenants[slug] } });
      }
      if (status !== "pending") {
        // Demo secrets are generated and thrown away: only their hashes exist, as for real ones.
        const { prefix, hash } = generateClientSecret();
        await db.credential.create({
          data: {
            agentId: agent.id,
            tenantId: tenants[slug],
            type: "CLIENT_SECRET",
            label: "primary",
            secretPrefix: prefix,
            secretHash: hash,
            createdByLabel: SEED.actorLabel,
            createdAt: activatedAt ?? createdAt,
            lastUsedAt: status === "active" ? new Date(now - (index + 1) * 3_600_000) : null,
            revokedAt: status === "retired" ? new Date(now - 10 * DAY) : null,
            revokedReason: status === "retired" ? "Agent retired" : null,
          },
        });
      }
    }
  }
}
