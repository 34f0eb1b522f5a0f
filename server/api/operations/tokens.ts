import "server-only";
import { reasonBodySchema } from "@/lib/schemas/reason";
import { tokenListSchema } from "@/lib/schemas/tokens";
import { getToken, listTokens, revokeToken } from "../../oauth/tokens";
import { defineOperations } from "../operation";
import { offsetPage } from "../pages";

// Tokens the authorization server issued: their metadata, never their values.

export const tokenOperations = defineOperations({
  listTokens: {
    method: "GET",
    path: "/tokens",
    tag: "Tokens",
    summary: "Tokens in the tenants you can read (live ones unless status=all); never their values",
    query: tokenListSchema,
    run: async ({ caller, query }) => offsetPage(await listTokens(caller, query)),
  },
  getToken: {
    method: "GET",
    path: "/tokens/{id}",
    tag: "Tokens",
    summary: "One token's metadata",
    run: ({ caller, params }) => getToken(caller, params.id),
  },
  revokeToken: {
    method: "DELETE",
    path: "/tokens/{id}",
    tag: "Tokens",
    summary: "Revoke a token: the next introspection or API call with it fails",
    body: reasonBodySchema,
    run: ({ caller, params, body }) => revokeToken(caller, params.id, body),
  },
});
