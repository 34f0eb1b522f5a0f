import "server-only";
import { randomUUID } from "node:crypto";
import { decisionRequestSchema } from "@/lib/schemas/decisions";
import type { Db } from "../db";
import { analyzePolicy } from "../policies/cedar";
import { requestHash } from "../policies/decide";
import { knownActions } from "../policies/policies";

// The demo world's policies: the examples of the decisions issue, plus what makes the seeded
// roles usable. Each is validated like any other policy before it is written.
export const DEMO_POLICIES: { name: string; description: string; tenant: string | null; text: string }[] = [
  {
    name: "Production email in business hours only",
    description: "Production agents may not send email outside 08:00–18:00 UTC, Monday to Friday.",
    tenant: null,
    text: `forbid (principal is Agent, action == Action::"email.send", resource)
when {
  principal.environment == "production" &&
  (context.hour < 8 || context.hour >= 18 || context.weekday > 5)
};`,
  },
  {
    name: "Agents may send and read email",
    description: "Email is allowed to agents whose roles give them the scope.",
    tenant: null,
    text: `permit (principal is Agent, action in [Action::"email.send", Action::"email.read"], resource);`,
  },
  {
    name: "Payments over 1,000 need approval",
    description: "A person approves every payment above 1,000; the approval allows that payment once.",
    tenant: null,
    text: `@needs_approval
permit (principal is Agent, action == Action::"payments.create", resource is Payment)
when { context has amount && context.amount > 1000 };`,
  },
  {
    name: "Small payments",
    description: "Payments up to 1,000 go through without approval.",
    tenant: null,
    text: `permit (principal is Agent, action == Action::"payments.create", resource is Payment)
when { context has amount && context.amount <= 1000 };`,
  },
  {
    name: "Documents of the agent's own tenant",
    description: "Agents read documents of their own tenant only.",
    tenant: null,
    text: `permit (principal is Agent, action == Action::"documents.read", resource is Document)
when { resource has tenant && resource.tenant == principal.tenant };`,
  },
  {
    name: "CRM, calendar and tickets",
    description: "Everyday work the seeded roles are for.",
    tenant: null,
    text: `permit (
  principal is Agent,
  action in [Action::"contacts.read", Action::"contacts.write", Action::"crm.records.write", Action::"calendar.write", Action::"tickets.write"],
  resource
);`,
  },
  {
    name: "No HR records from staging",
    description: "Acme keeps employee records away from agents that are not in production.",
    tenant: "acme",
    text: `forbid (principal is Agent, action == Action::"hr.records.read", resource)
when { principal.environment != "production" };`,
  },
];

export async function seedPolicies(db: Db, tenants: Record<string, string>): Promise<void> {
  const actions = await knownActions(db);
  for (const p of DEMO_POLICIES) {
    const analysis = analyzePolicy(p.text, actions);
    if (!analysis.ok) throw new Error(`demo policy "${p.name}" is invalid: ${analysis.problems[0]?.message}`);
    await db.policy.create({
      data: {
        tenantId: p.tenant ? tenants[p.tenant] : null,
        name: p.name,
        description: p.description,
        text: p.text,
        effect: analysis.effect ?? "permit",
        actions: analysis.actions,
        requiresApproval: analysis.requiresApproval,
        versions: {
          create: {
            version: 1,
            name: p.name,
            description: p.description,
            text: p.text,
            enabled: true,
            note: "Demo world",
            createdByLabel: "demo seed",
          },
        },
      },
    });
  }
  // One payment waits for its owner's approval, so the Approvals page has something to answer.
  const invoiceBot = await db.agent.findFirst({ where: { name: "invoice-bot", tenantId: tenants.acme } });
  if (invoiceBot) {
    // Parsed as a decision request is, so that its hash matches the agent's own request.
    const request = decisionRequestSchema.parse({
      action: "payments.create",
      resource: { type: "Payment", id: "INV-2026-0419", attributes: { supplier: "Northwind Traders" } },
      context: { amount: 4800, currency: "EUR" },
    });
    await db.approvalRequest.create({
      data: {
        tenantId: tenants.acme,
        agentId: invoiceBot.id,
        action: request.action,
        resource: request.resource,
        context: request.context,
        requestHash: requestHash(invoiceBot.id, request),
        policies: ["Payments over 1,000 need approval"],
        reason: 'Policy "Payments over 1,000 need approval" requires a person\'s approval.',
        decisionId: randomUUID(),
        expiresAt: new Date(Date.now() + 24 * 3_600_000),
      },
    });
  }
}
