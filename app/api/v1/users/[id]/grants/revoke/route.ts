// POST /api/v1/users/{id}/grants/revoke: see server/api/operations/grants.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const POST = handle(operations.revokeUserGrants);
