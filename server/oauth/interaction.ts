import "server-only";
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type Provider from "oidc-provider";
import type { Env } from "@/lib/env";
import { env } from "@/lib/env";
import { DomainError, ForbiddenError } from "@/lib/errors";
import { can } from "@/lib/permissions";
import { isUuid } from "@/lib/validation";
import { connectClient, connectedClientSource, externalClient, grantableScopes } from "../agents/connected-clients";
import { recordAudit } from "../audit/record";
import type { UserCaller } from "../auth/caller";
import { requestMeta } from "../auth/request-meta";
import { callerFromCookies } from "../auth/session-token";
import { allowedScopes } from "../catalog/roles";
import { type Db, isUniqueViolation, prisma } from "../db";
import { inTransaction } from "../db/ambient";
import { consentRefusal, type InteractionPayload, loadInteraction, requestedScopes } from "./consent";
import { interactionOf } from "./http";
import { errorPage } from "./pages";
import { apiResource } from "./resource";

// POST /oauth/interaction/{uid}/confirm|abort: a signed-in person answers an agent's request to
// act for them. The consent page is a console page; its answer lands here, in the same process
// as the authorization server, because finishing an interaction needs the browser's
// interaction cookie, which binds the answer to the browser that started the request.

const MAX_BODY = 16 * 1024;

function readBody(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) reject(new Error("body too large"));
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(new URLSearchParams(Buffer.concat(chunks).toString("utf8"))));
    req.on("error", reject);
  });
}

function cookiesOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i <= 0) continue;
    try {
      out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      // A cookie that is not valid percent-encoding is not ours: skip it.
    }
  }
  return out;
}

function sendError(res: ServerResponse, status: number, error: string, description: string): void {
  const requestId = res.getHeader("x-request-id");
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(errorPage({ error, description, requestId: typeof requestId === "string" ? requestId : undefined }));
}

/** Forms post here from our own consent page only: a cross-site post is refused. */
function sameOrigin(req: IncomingMessage, config: Env): boolean {
  const origin = req.headers.origin ?? req.headers.referer;
  if (!origin) return false;
  try {
    return new URL(origin).origin === new URL(config.publicUrl).origin;
  } catch {
    return false;
  }
}

export async function handleInteraction(
  provider: Provider,
  config: Env,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const target = interactionOf(req.url);
  if (!target) return sendError(res, 404, "not_found", "No such authorization request.");
  if (!sameOrigin(req, config)) return sendError(res, 403, "invalid_request", "Cross-site request refused.");

  // The console user behind this request (the same session cookie the console reads).
  const caller = await callerFromCookies(cookiesOf(req), config);
  if (!caller) {
    res.writeHead(303, { location: `/sign-in?callbackUrl=${encodeURIComponent(`/oauth/interaction/${target.uid}`)}` });
    res.end();
    return;
  }

  let details: Awaited<ReturnType<Provider["interactionDetails"]>>;
  try {
    details = await provider.interactionDetails(req, res);
  } catch {
    return sendError(
      res,
      400,
      "invalid_request",
      "This authorization request has expired or belongs to another browser.",
    );
  }
  if (details.uid !== target.uid) {
    return sendError(res, 400, "invalid_request", "This authorization request belongs to another browser.");
  }

  const db = await prisma();
  const interaction = await loadInteraction(db, target.uid);
  const clientId = details.params.client_id as string;
  if (!interaction) return sendError(res, 400, "invalid_request", "This authorization request has expired.");
  const body = await readBody(req);
  if (connectedClientSource(clientId)) {
    return answerConnected(provider, req, res, caller, interaction, clientId, body, target.action);
  }
  const agent = await db.agent.findUnique({
    where: { id: clientId },
    select: { id: true, tenantId: true, name: true, consentWithdrawnAt: true },
  });
  if (!agent) return sendError(res, 400, "invalid_request", "This authorization request has expired.");

  const requested = requestedScopes(interaction);
  const meta = requestMeta(req.headers);
  const actor = { type: "user" as const, id: caller.id, label: caller.email };
  const refuse = (description: string) =>
    refuseConsent(provider, req, res, description, {
      actor,
      tenantId: agent.tenantId,
      target: { type: "agent", id: agent.id },
      data: { scopes: requested },
      meta,
    });

  if (target.action === "abort") return refuse("The user refused the request.");

  const refusal = agent.consentWithdrawnAt
    ? "The tenant has withdrawn its consent from this agent."
    : consentRefusal(caller, agent.tenantId);
  if (refusal) return sendError(res, 403, "access_denied", refusal);

  // Granted = what the agent may hold (now) ∩ what it asked for ∩ what the person ticked.
  const ticked = new Set(body.getAll("scope"));
  const allowed = new Set(await allowedScopes(db, agent.id));
  const granted = requested.filter((s) => allowed.has(s) && ticked.has(s));
  if (requested.length && !granted.length) return refuse("The user approved none of the requested scopes.");

  const resource =
    typeof interaction.params.resource === "string" ? interaction.params.resource : apiResource(config.publicUrl);
  const grantId = await inTransaction(async (tx) => {
    // One live grant per person and agent: a new consent adds to what was granted before
    // (incremental authorization). What the person unticked is recorded as rejected, so the
    // authorization server does not ask again for this request.
    const existing = await tx.grant.findFirst({
      where: { userId: caller.id, agentId: agent.id, revokedAt: null },
      select: { id: true, payload: true },
    });
    const prior = priorScopes(existing?.payload, resource);
    const scopes = [...new Set([...prior, ...granted])].filter((s) => allowed.has(s));
    const rejected = requested.filter((s) => !scopes.includes(s));
    const grant = grantWith(provider, existing?.payload, {
      accountId: caller.id,
      clientId: agent.id,
      jti: existing?.id,
      resource,
      scopes,
      rejected,
    });
    const id = await grant.save();
    await recordAudit(tx, {
      action: "consent.granted",
      outcome: "success",
      actor,
      tenantId: agent.tenantId,
      target: { type: "grant", id },
      data: {
        agent: agent.id,
        scopes: granted,
        rejected,
        requested,
        resource,
        redirect_uri: interaction.params.redirect_uri ?? null,
      },
      meta,
    });
    return id;
  });

  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: caller.id }, consent: { grantId } },
    { mergeWithLastSubmission: true },
  );
}

/**
 * The answer to an MCP client that identified itself (metadata document or registration): the
 * person chose the tenant to let it into. In one transaction: its identity there (created on the
 * first consent, pending approval; a blocked one is refused), the grant of what the tenant allows
 * it now, ticked by the person, and the audit event.
 */
async function answerConnected(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  caller: UserCaller,
  interaction: InteractionPayload,
  clientId: string,
  body: URLSearchParams,
  action: "confirm" | "abort",
): Promise<void> {
  const db = await prisma();
  const requested = requestedScopes(interaction);
  const meta = requestMeta(req.headers);
  const actor = { type: "user" as const, id: caller.id, label: caller.email };
  const client = await externalClient(db, clientId);
  if (!client) return sendError(res, 400, "invalid_request", "This client's metadata is no longer known: start again.");
  const tenantId = body.get("tenant") ?? "";
  const inTenant = isUuid(tenantId) && can(caller.roles, "grants.consent", tenantId);
  // On record in the tenant, only the scope names it knows: a request naming no scope asks for
  // every tenant's open scopes, which are not this tenant's business.
  const recorded = inTenant ? await scopesKnownIn(db, tenantId, requested) : [];
  const refuse = (description: string) =>
    refuseConsent(provider, req, res, description, {
      actor,
      tenantId: inTenant ? tenantId : null,
      target: { type: "client", id: clientId },
      data: { scopes: recorded, client_id: clientId },
      meta,
    });
  if (action === "abort") return refuse("The user refused the request.");
  if (!isUuid(tenantId)) return sendError(res, 400, "invalid_request", "Choose the tenant to let this client into.");
  const refusal = consentRefusal(caller, tenantId);
  if (refusal) return sendError(res, 403, "access_denied", refusal);

  const ticked = new Set(body.getAll("scope"));
  const resource =
    typeof interaction.params.resource === "string" ? interaction.params.resource : apiResource(env().publicUrl);
  let grantId: string;
  const consent = () =>
    inTransaction(async (tx) => {
      const agent = await connectClient(tx, tenantId, client, caller);
      if (agent.status !== "ACTIVE" || agent.consentWithdrawnAt) {
        throw new ForbiddenError("This client cannot be granted access in this tenant now.");
      }
      const allowed = new Set(await grantableScopes(tx, agent));
      const granted = requested.filter((s) => allowed.has(s) && ticked.has(s));
      if (requested.length && !granted.length) throw new NothingGranted();
      const existing = await tx.grant.findFirst({
        where: { userId: caller.id, agentId: agent.id, revokedAt: null },
        select: { id: true, payload: true },
      });
      // The grant row names the tenant and the client's agent there; the provider fills it in.
      const id = existing?.id ?? randomUUID();
      if (!existing) {
        await tx.grant.create({ data: { id, userId: caller.id, agentId: agent.id, tenantId, payload: {} } });
      }
      const scopes = [...new Set([...priorScopes(existing?.payload, resource), ...granted])].filter((s) =>
        allowed.has(s),
      );
      // Only what the person could have granted and unticked is recorded as rejected. What the
      // tenant does not allow this client yet is left out: the provider does not count it while
      // it is not allowed, and asks for it once it is (a step-up after approval).
      const rejected = requested.filter((s) => allowed.has(s) && !scopes.includes(s));
      await grantWith(provider, existing?.payload, {
        accountId: caller.id,
        clientId,
        jti: id,
        resource,
        scopes,
        rejected,
      }).save();
      await recordAudit(tx, {
        action: "consent.granted",
        outcome: "success",
        actor,
        tenantId,
        target: { type: "grant", id },
        data: {
          agent: agent.id,
          client_id: clientId,
          client_source: client.source,
          approval: agent.clientApproval?.toLowerCase() ?? null,
          scopes: granted,
          rejected,
          requested: recorded,
          resource,
          redirect_uri: interaction.params.redirect_uri ?? null,
        },
        meta,
      });
      return id;
    });
  try {
    // Two first consents at once in a tenant: the second finds the client the first let in.
    grantId = await consent().catch((error) => {
      if (isUniqueViolation(error)) return consent();
      throw error;
    });
  } catch (error) {
    if (error instanceof NothingGranted) return refuse("The user approved none of the scopes this tenant allows.");
    if (error instanceof ForbiddenError) return sendError(res, 403, "access_denied", error.message);
    if (error instanceof DomainError) return sendError(res, error.status, error.code, error.message);
    throw error;
  }
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: caller.id }, consent: { grantId } },
    { mergeWithLastSubmission: true },
  );
}

class NothingGranted extends Error {}

type GrantPayload = { resources?: Record<string, string> } | null | undefined;

/** The scopes a grant already holds for one resource (RFC 8707: each resource its own). */
function priorScopes(payload: unknown, resource: string): string[] {
  return ((payload as GrantPayload)?.resources?.[resource] ?? "").split(" ").filter(Boolean);
}

/**
 * The person's grant after this consent: what it held for other resources kept as it was, this
 * resource's scopes as given, and what the person unticked recorded as rejected (so the provider
 * does not ask again within this request).
 */
function grantWith(
  provider: Provider,
  payload: unknown,
  g: { accountId: string; clientId: string; jti?: string; resource: string; scopes: string[]; rejected: string[] },
) {
  const grant = new provider.Grant({ accountId: g.accountId, clientId: g.clientId, ...(g.jti ? { jti: g.jti } : {}) });
  for (const [resource, scope] of Object.entries((payload as GrantPayload)?.resources ?? {})) {
    if (resource !== g.resource && scope) grant.addResourceScope(resource, scope);
  }
  if (g.scopes.length) grant.addResourceScope(g.resource, g.scopes.join(" "));
  if (g.rejected.length) grant.rejectResourceScope(g.resource, g.rejected.join(" "));
  return grant;
}

/** Of these scope names, those the tenant's catalog (or the global one) holds. */
async function scopesKnownIn(db: Db, tenantId: string, names: string[]): Promise<string[]> {
  if (!names.length) return [];
  const rows = await db.scope.findMany({
    where: { name: { in: names }, OR: [{ tenantId: null }, { tenantId }] },
    select: { name: true },
  });
  const known = new Set(rows.map((r) => r.name));
  return names.filter((n) => known.has(n));
}

/** The person said no (or nothing they could grant was left): on record, then access_denied to the client. */
async function refuseConsent(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  description: string,
  audit: Pick<Parameters<typeof recordAudit>[1], "actor" | "tenantId" | "target" | "data" | "meta">,
): Promise<void> {
  await recordAudit(await prisma(), { action: "consent.refused", outcome: "success", reason: description, ...audit });
  await provider.interactionFinished(
    req,
    res,
    { error: "access_denied", error_description: description },
    { mergeWithLastSubmission: false },
  );
}
