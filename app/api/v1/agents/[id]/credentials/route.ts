// GET /api/v1/agents/{id}/credentials · POST /api/v1/agents/{id}/credentials: see server/api/operations/credentials.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const GET = handle(operations.listCredentials);
export const POST = handle(operations.createCredential);
