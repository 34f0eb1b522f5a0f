// GET /api/v1/tokens/{id}/chain: a token's delegation chain; see server/api/operations/tokens.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const GET = handle(operations.getTokenChain);
