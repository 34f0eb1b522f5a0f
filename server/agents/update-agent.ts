import "server-only";
import { ConflictError } from "@/lib/errors";
import { type UpdateAgentInput, updateAgentSchema } from "@/lib/schemas/agents";
import { parseInput } from "@/lib/validation";
import { recordAudit } from "../audit/record";
import { actorOf } from "../auth/actor";
import type { Caller } from "../auth/caller";
import { isUniqueViolation, prisma } from "../db";
import type { Prisma } from "../db/generated/client";
import { resolveAccountableUser } from "../users/resolve-user";
import { agentFor, assertNotRetired, duplicateAgentName } from "./agent-access";
import { delegationColumns, mayDelegateToOf } from "./delegation";
import { environmentFromDb, environmentToDb } from "./mappers";

/**
 * Changes an agent's descriptive fields, ownership, OAuth client settings and who may act on its
 * tokens ("may delegate to"), recording before and after. A new "may delegate to" applies to
 * tokens issued from now on: those already issued keep the may_act they were issued with.
 * Requiring DPoP counts at once: the next token request needs a proof, and the decision API denies
 * the agent's unbound tokens from the next request.
 */
export async function updateAgent(caller: Caller, agentId: string, input: UpdateAgentInput) {
  const data = parseInput(updateAgentSchema, input);
  const db = await prisma();
  return db
    .$transaction(async (tx) => {
      const agent = await agentFor(tx, caller, agentId, "agents.write");
      assertNotRetired(agent);
      const change: Prisma.AgentUncheckedUpdateInput = {};
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      const note = (field: string, from: unknown, to: unknown) => {
        if (JSON.stringify(from) === JSON.stringify(to)) return;
        before[field] = from;
        after[field] = to;
      };
      if (data.name !== undefined && data.name !== agent.name) {
        const clash = await tx.agent.findUnique({
          where: { tenantId_name: { tenantId: agent.tenantId, name: data.name } },
        });
        if (clash) {
          throw duplicateAgentName();
        }
        change.name = data.name;
        note("name", agent.name, data.name);
      }
      if (data.description !== undefined) {
        change.description = data.description;
        note("description", agent.description, data.description);
      }
      if (data.environment !== undefined) {
        change.environment = environmentToDb(data.environment);
        note("environment", environmentFromDb(agent.environment), data.environment);
      }
      if (data.redirect_uris !== undefined) {
        change.redirectUris = data.redirect_uris;
        note("redirect_uris", agent.redirectUris, data.redirect_uris);
      }
      if (data.token_ttl_seconds !== undefined && data.token_ttl_seconds !== agent.tokenTtlSeconds) {
        change.tokenTtlSeconds = data.token_ttl_seconds;
        note("token_ttl_seconds", agent.tokenTtlSeconds, data.token_ttl_seconds);
      }
      if (data.attributes !== undefined) {
        change.attributes = data.attributes;
        note("attributes", agent.attributes, data.attributes);
      }
      if (data.may_delegate_to !== undefined) {
        const delegation = await delegationColumns(tx, agent.tenantId, data.may_delegate_to);
        Object.assign(change, delegation);
        note("may_delegate_to", mayDelegateToOf(agent), data.may_delegate_to);
      }
      if (data.dpop_required !== undefined && data.dpop_required !== agent.dpopRequired) {
        change.dpopRequired = data.dpop_required;
        note("dpop_required", agent.dpopRequired, data.dpop_required);
      }
      const ownerId =
        data.owner !== undefined
          ? (await resolveAccountableUser(tx, data.owner, agent.tenantId, "owner")).id
          : agent.ownerId;
      const backupId =
        data.backup_owner === undefined
          ? agent.backupOwnerId
          : data.backup_owner === null
            ? null
            : (await resolveAccountableUser(tx, data.backup_owner, agent.tenantId, "backup_owner")).id;
      if (backupId && backupId === ownerId) {
        throw new ConflictError("The backup owner must be someone other than the owner.", {
          backup_owner: ["The backup owner must be someone other than the owner."],
        });
      }
      if (ownerId !== agent.ownerId) {
        change.ownerId = ownerId;
        note("owner_id", agent.ownerId, ownerId);
      }
      if (backupId !== agent.backupOwnerId) {
        change.backupOwnerId = backupId;
        note("backup_owner_id", agent.backupOwnerId, backupId);
      }
      if (Object.keys(after).length === 0) return agent;
      const updated = await tx.agent.update({ where: { id: agent.id }, data: change });
      await recordAudit(tx, {
        action: "agent.update",
        outcome: "success",
        actor: actorOf(caller),
        tenantId: agent.tenantId,
        target: { type: "agent", id: agent.id },
        data: { before, after } as Prisma.InputJsonValue,
      });
      return updated;
    })
    .catch((error) => {
      // A rename racing another registration or rename to the same name.
      if (isUniqueViolation(error)) {
        throw duplicateAgentName();
      }
      throw error;
    });
}
