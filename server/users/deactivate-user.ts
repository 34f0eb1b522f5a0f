import "server-only";
import { z } from "zod";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { reasonSchema } from "@/lib/schemas/agents";
import { isUuid, parseInput } from "@/lib/validation";
import { recordAudit } from "../audit/record";
import { actorOf } from "../auth/actor";
import { assertCanGlobally } from "../auth/authorize";
import type { Caller } from "../auth/caller";
import { prisma } from "../db";

/**
 * Deactivates a console user: they cannot sign in and their live session stops. Agents they own
 * become orphaned (listed for reassignment); the audit event says which.
 */
export async function deactivateUser(caller: Caller, userId: string, input: { reason?: unknown }) {
  const { reason } = parseInput(z.object({ reason: reasonSchema }), { reason: input.reason });
  assertCanGlobally(caller, "users.manage");
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const user = isUuid(userId) ? await tx.user.findUnique({ where: { id: userId } }) : null;
    if (!user) throw new NotFoundError("user");
    if (user.deactivatedAt) throw new ConflictError("This user is already deactivated.");
    if (user.id === caller.id) throw new ConflictError("You cannot deactivate yourself.");
    const orphaned = await tx.agent.findMany({
      where: { ownerId: user.id, status: { not: "RETIRED" } },
      select: { id: true },
    });
    const updated = await tx.user.update({ where: { id: user.id }, data: { deactivatedAt: new Date() } });
    await recordAudit(tx, {
      action: "user.deactivate",
      outcome: "success",
      actor: actorOf(caller),
      target: { type: "user", id: user.id },
      reason,
      data: { orphaned_agents: orphaned.map((a) => a.id) },
    });
    return updated;
  });
}
