// GET /api/v1/invitations: see server/api/operations/people.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const GET = handle(operations.listInvitations);
