// PATCH /api/v1/tenants/{tenant}/members/{user} (role) · DELETE (remove): see server/api/operations/tenants.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const PATCH = handle(operations.changeMemberRole);
export const DELETE = handle(operations.removeMember);
