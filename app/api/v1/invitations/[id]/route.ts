// GET /api/v1/invitations/{id} · DELETE (revoke): see server/api/operations/people.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const GET = handle(operations.getInvitation);
export const DELETE = handle(operations.revokeInvitation);
