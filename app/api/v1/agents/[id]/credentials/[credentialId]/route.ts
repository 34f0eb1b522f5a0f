// DELETE /api/v1/agents/{id}/credentials/{credentialId}: see server/api/operations/credentials.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const DELETE = handle(operations.revokeCredential);
