import "server-only";
import { ConflictError } from "@/lib/errors";
import { type CreateUserInput, createUserSchema } from "@/lib/schemas/users";
import { parseInput } from "@/lib/validation";
import { type ActorType, recordAudit } from "../audit/record";
import { GLOBAL_ROLE_TO_DB } from "../auth/caller";
import { hashPassword } from "../auth/password";
import type { Db } from "../db";

export interface Actor {
  type: ActorType;
  id?: string | null;
  label?: string | null;
}

/**
 * Creates a console user. The permission check belongs to the caller-facing entry points (the
 * admin API's, in a later issue); start-up bootstrap and seeding call it as the system.
 */
export async function createUser(db: Db, input: CreateUserInput, actor: Actor) {
  const data = parseInput(createUserSchema, input);
  const passwordHash = data.password ? await hashPassword(data.password) : null;
  if (await db.user.findUnique({ where: { email: data.email }, select: { id: true } })) {
    throw new ConflictError("A user with that email already exists.", { email: ["Already in use."] });
  }
  const user = await db.user.create({
    data: {
      email: data.email,
      name: data.name,
      passwordHash,
      globalRole: data.global_role ? GLOBAL_ROLE_TO_DB[data.global_role] : null,
    },
  });
  await recordAudit(db, {
    action: "user.create",
    outcome: "success",
    actor,
    target: { type: "user", id: user.id },
    data: { after: { email: user.email, name: user.name, global_role: data.global_role ?? null } },
  });
  return user;
}
