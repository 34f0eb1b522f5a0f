// POST /api/v1/invitations/{id}/resend: see server/api/operations/people.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const POST = handle(operations.resendInvitation);
