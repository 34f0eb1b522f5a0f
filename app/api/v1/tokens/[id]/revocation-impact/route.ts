// GET /api/v1/tokens/{id}/revocation-impact: what revoking it would revoke; see server/api/operations/tokens.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const GET = handle(operations.previewTokenRevocation);
