import "server-only";
import { z } from "zod";
import type { Operation } from "./operation";
import { operations } from "./operations";

// /api/v1/openapi.json, built from the operations table and its zod schemas: the document cannot
// drift from the handlers, because both are the same objects.

const ERROR = {
  type: "object",
  required: ["error", "message"],
  properties: {
    error: { type: "string", description: "A code for machines, e.g. invalid_request, not_found, forbidden." },
    message: { type: "string", description: "A sentence for people." },
    details: {
      type: "object",
      description: "For invalid_request: the fields at fault, each with its messages.",
      additionalProperties: { type: "array", items: { type: "string" } },
    },
  },
} as const;

function jsonSchema(schema: z.ZodType) {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  return rest;
}

function queryParameters(schema: z.ZodType) {
  const s = jsonSchema(schema) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(s.properties ?? {}).map(([name, prop]) => ({
    name,
    in: "query",
    required: (s.required ?? []).includes(name) && prop.default === undefined,
    schema: prop,
    ...(typeof prop.description === "string" ? { description: prop.description } : {}),
  }));
}

function pathItem(op: Operation) {
  const pathParams = [...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: "path",
    required: true,
    schema: { type: "string" },
  }));
  const status = String(op.status ?? 200);
  const errors = (codes: number[]) =>
    Object.fromEntries(codes.map((c) => [String(c), { $ref: `#/components/responses/Error${c}` }]));
  return {
    operationId: op.id,
    tags: [op.tag],
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    parameters: [...pathParams, ...(op.query ? queryParameters(op.query) : [])],
    ...(op.body
      ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(op.body) } } } }
      : {}),
    responses: {
      [status]:
        status === "204"
          ? { description: "Done." }
          : { description: "Success.", content: { "application/json": { schema: { type: "object" } } } },
      ...errors(op.body ? [400, 401, 403, 404, 409, 415] : [400, 401, 403, 404]),
    },
    // Agents' own calls take a DPoP-bound token too (RFC 9449): `Authorization: DPoP` with a proof.
    security: op.auth === "self" ? [{ bearer: [] }, { dpop: [] }] : [{ bearer: [] }],
  };
}

export function openApiDocument(publicUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of Object.values(operations)) {
    paths[op.path] ??= {};
    paths[op.path][op.method.toLowerCase()] = pathItem(op);
  }
  const errorResponse = (description: string) => ({
    description,
    content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
  });
  return {
    openapi: "3.1.0",
    info: {
      title: "Mandate admin API",
      version: "1",
      description:
        "Manage agents, credentials, scopes, roles and tokens. Authenticate with an access token issued by Mandate's authorization server to an automation client (client_credentials at the token endpoint listed in /.well-known/oauth-authorization-server). JSON bodies use snake_case.",
    },
    servers: [{ url: `${publicUrl}/api/v1` }],
    components: {
      securitySchemes: {
        bearer: {
          type: "oauth2",
          flows: { clientCredentials: { tokenUrl: `${publicUrl}/oauth/token`, scopes: {} } },
        },
        dpop: {
          type: "http",
          scheme: "DPoP",
          description:
            "An agent's DPoP-bound access token (RFC 9449), with a `DPoP` proof header for this method and URL carrying `ath`; each proof is accepted once. The admin API's automation clients use bearer tokens.",
        },
      },
      schemas: { Error: ERROR },
      responses: {
        Error400: errorResponse("Invalid input: `details` names the fields. Nothing was changed."),
        Error401: errorResponse("No live access token of an automation client."),
        Error403: errorResponse("The client's role does not allow this."),
        Error404: errorResponse("No such resource, or not visible to this client."),
        Error409: errorResponse("Conflicts with the current state (already revoked, name taken…)."),
        Error415: errorResponse("The body is not JSON."),
      },
    },
    paths,
  };
}
