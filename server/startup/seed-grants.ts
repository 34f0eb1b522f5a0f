import "server-only";
import { randomBytes } from "node:crypto";
import type { Db } from "../db";
import { hashToken } from "../oauth/hash";

// The demo world's grants: people who consented to agents acting for them, with live tokens, one
// grant revoked, and one a leaver still holds (what offboarding is for). Token values are made up
// and thrown away: only their hashes exist, as for real ones.

type GrantSeed = [
  tenant: string,
  email: string,
  agent: string,
  scopes: string[],
  daysAgo: number,
  state: "live" | "idle" | "revoked",
];

const GRANTS: GrantSeed[] = [
  ["acme", "member@acme.example", "crm-sync", ["contacts.read", "crm.records.write"], 21, "live"],
  ["acme", "member@acme.example", "support-triage", ["tickets.write", "email.send"], 9, "idle"],
  ["acme", "member@acme.example", "invoice-bot", ["payments.create"], 40, "revoked"],
  ["acme", "dana@acme.example", "calendar-scheduler", ["calendar.write", "contacts.read"], 14, "live"],
  ["acme", "dana@acme.example", "crm-sync", ["contacts.read"], 6, "live"],
  ["acme", "owner@acme.example", "support-triage", ["tickets.write"], 30, "idle"],
  ["acme", "former@acme.example", "crm-sync", ["contacts.read", "contacts.write", "crm.records.write"], 60, "live"],
  ["globex", "member@acme.example", "doc-summarizer", ["documents.read"], 3, "live"],
  ["initech", "milton@initech.example", "stapler-tracker", ["documents.read"], 50, "live"],
  ["initech", "peter@initech.example", "tps-report-bot", ["email.read", "email.send"], 12, "idle"],
];

const DAY = 86_400_000;

export async function seedGrants(db: Db, tenants: Record<string, string>) {
  const now = Date.now();
  for (const [slug, email, agentName, scopes, daysAgo, state] of GRANTS) {
    const tenantId = tenants[slug];
    const user = await db.user.findUniqueOrThrow({ where: { email }, select: { id: true } });
    const agent = await db.agent.findUniqueOrThrow({
      where: { tenantId_name: { tenantId, name: agentName } },
      select: { id: true },
    });
    const id = randomBytes(32).toString("base64url");
    const createdAt = new Date(now - daysAgo * DAY);
    await db.grant.create({
      data: {
        id,
        userId: user.id,
        agentId: agent.id,
        tenantId,
        scopes,
        payload: { kind: "Grant", jti: id, accountId: user.id, clientId: agent.id },
        createdAt,
        lastUsedAt: state === "live" ? new Date(now - 25 * 60_000) : new Date(now - 4 * DAY),
        revokedAt: state === "revoked" ? new Date(now - 5 * DAY) : null,
        revokedReason: state === "revoked" ? "No longer needed" : null,
      },
    });
    if (state !== "live") continue;
    const token = (kind: "ACCESS_TOKEN" | "REFRESH_TOKEN", ttl: number) => ({
      hash: hashToken(randomBytes(32).toString("base64url")),
      kind,
      clientId: agent.id,
      agentId: agent.id,
      tenantId,
      subjectId: user.id,
      grantId: id,
      scopes,
      createdAt: new Date(now - 60_000),
      expiresAt: new Date(now + ttl),
      payload: {},
    });
    await db.token.createMany({ data: [token("ACCESS_TOKEN", 10 * 60_000), token("REFRESH_TOKEN", 14 * DAY)] });
  }
}
