// GET /api/v1/users/{id}: see server/api/operations/people.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const GET = handle(operations.getUser);
