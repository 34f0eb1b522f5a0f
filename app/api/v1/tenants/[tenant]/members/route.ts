// GET /api/v1/tenants/{tenant}/members · POST (add a member): see server/api/operations/tenants.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const GET = handle(operations.listMembers);
export const POST = handle(operations.addMember);
