import "server-only";
import { ConflictError } from "@/lib/errors";
import { type CreateAgentInput, createAgentSchema } from "@/lib/schemas/agents";
import { parseInput } from "@/lib/validation";
import { recordAudit } from "../audit/record";
import { actorOf } from "../auth/actor";
import type { Caller } from "../auth/caller";
import { isUniqueViolation, prisma } from "../db";
import { tenantForInput } from "../tenants/resolve-tenant";
import { resolveAccountableUser } from "../users/resolve-user";
import { duplicateAgentName } from "./agent-access";
import { delegationColumns } from "./delegation";
import { environmentToDb } from "./mappers";

/** Registers an agent, pending until someone activates it. */
export async function createAgent(caller: Caller, input: CreateAgentInput) {
  const data = parseInput(createAgentSchema, input);
  const db = await prisma();
  return createIn(db, caller, data).catch((error) => {
    // Two people registering the same name at once: the loser gets the same answer as a late one.
    if (isUniqueViolation(error)) throw duplicateAgentName();
    throw error;
  });
}

async function createIn(
  db: Awaited<ReturnType<typeof prisma>>,
  caller: Caller,
  data: ReturnType<typeof createAgentSchema.parse>,
) {
  return db.$transaction(async (tx) => {
    const tenant = await tenantForInput(tx, caller, data.tenant, "agents.write");
    const owner = await resolveAccountableUser(tx, data.owner, tenant.id, "owner");
    const backup = data.backup_owner
      ? await resolveAccountableUser(tx, data.backup_owner, tenant.id, "backup_owner")
      : null;
    if (backup?.id === owner.id) {
      throw new ConflictError("The backup owner must be someone other than the owner.", {
        backup_owner: ["The backup owner must be someone other than the owner."],
      });
    }
    if (await tx.agent.findUnique({ where: { tenantId_name: { tenantId: tenant.id, name: data.name } } })) {
      throw duplicateAgentName();
    }
    const delegation = await delegationColumns(tx, tenant.id, data.may_delegate_to);
    const actor = actorOf(caller);
    const agent = await tx.agent.create({
      data: {
        tenantId: tenant.id,
        name: data.name,
        description: data.description,
        ownerId: owner.id,
        backupOwnerId: backup?.id ?? null,
        environment: environmentToDb(data.environment),
        attributes: data.attributes,
        redirectUris: data.redirect_uris,
        tokenTtlSeconds: data.token_ttl_seconds,
        ...delegation,
        dpopRequired: data.dpop_required,
        createdById: actor.id,
        createdByLabel: actor.label,
        history: {
          create: {
            toStatus: "PENDING",
            actorType: actor.type,
            actorId: actor.id,
            actorLabel: actor.label,
            reason: "Registered",
          },
        },
      },
    });
    await recordAudit(tx, {
      action: "agent.create",
      outcome: "success",
      actor,
      tenantId: tenant.id,
      target: { type: "agent", id: agent.id },
      data: {
        after: {
          name: agent.name,
          owner: owner.email,
          backup_owner: backup?.email ?? null,
          environment: data.environment,
          attributes: data.attributes,
          may_delegate_to: data.may_delegate_to,
          dpop_required: data.dpop_required,
        },
      },
    });
    return agent;
  });
}
