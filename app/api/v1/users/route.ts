// GET /api/v1/users · POST /api/v1/users (invite): see server/api/operations/people.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const GET = handle(operations.listUsers);
export const POST = handle(operations.createUser);
