// GET /api/v1/openapi.json: the admin API's contract, built from the handlers' own schemas.
import { env } from "@/lib/env";
import { openApiDocument } from "@/server/api/openapi";

export function GET() {
  return Response.json(openApiDocument(env().publicUrl));
}
