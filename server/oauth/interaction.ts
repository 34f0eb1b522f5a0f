import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import type Provider from "oidc-provider";
import type { Env } from "@/lib/env";
import { recordAudit } from "../audit/record";
import { requestMeta } from "../auth/request-meta";
import { callerFromCookies } from "../auth/session-token";
import { allowedScopes } from "../catalog/roles";
import { prisma } from "../db";
import { inTransaction } from "../db/ambient";
import { consentRefusal, loadInteraction, requestedScopes } from "./consent";
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
  const agentId = details.params.client_id as string;
  const agent = await db.agent.findUnique({
    where: { id: agentId },
    select: { id: true, tenantId: true, name: true, consentWithdrawnAt: true },
  });
  if (!interaction || !agent) return sendError(res, 400, "invalid_request", "This authorization request has expired.");

  const body = await readBody(req);
  const requested = requestedScopes(interaction);
  const meta = requestMeta(req.headers);
  const actor = { type: "user" as const, id: caller.id, label: caller.email };
  const refuse = async (description: string) => {
    await recordAudit(db, {
      action: "consent.refused",
      outcome: "success",
      actor,
      tenantId: agent.tenantId,
      target: { type: "agent", id: agent.id },
      reason: description,
      data: { scopes: requested },
      meta,
    });
    await provider.interactionFinished(
      req,
      res,
      { error: "access_denied", error_description: description },
      { mergeWithLastSubmission: false },
    );
  };

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
      select: { id: true, scopes: true },
    });
    const scopes = [...new Set([...(existing?.scopes ?? []), ...granted])].filter((s) => allowed.has(s));
    const rejected = requested.filter((s) => !scopes.includes(s));
    const grant = new provider.Grant({
      accountId: caller.id,
      clientId: agent.id,
      ...(existing && { jti: existing.id }),
    });
    if (scopes.length) grant.addResourceScope(resource, scopes.join(" "));
    if (rejected.length) grant.rejectResourceScope(resource, rejected.join(" "));
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
