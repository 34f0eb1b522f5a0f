import "server-only";
import { reasonBodySchema } from "@/lib/schemas/reason";
import { tokenListSchema } from "@/lib/schemas/tokens";
import { getToken, getTokenChain, listTokens, previewTokenRevocation, revokeToken } from "../../oauth/tokens";
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
  getTokenChain: {
    method: "GET",
    path: "/tokens/{id}/chain",
    tag: "Tokens",
    summary: "A token's delegation chain: the tokens above it (origin first), it, and every token exchanged from it",
    description:
      "Each node carries its agent, scopes, expiry, depth, status (live, revoked, expired, or inactive when its agent or grant no longer allows it), its parent and whether you may revoke it. A token neither exchanged nor exchanged from is a chain of one. At most 200 tokens below it are listed (`truncated` says when there are more; the revocation impact counts them all).",
    run: ({ caller, params }) => getTokenChain(caller, params.id),
  },
  previewTokenRevocation: {
    method: "GET",
    path: "/tokens/{id}/revocation-impact",
    tag: "Tokens",
    summary: "What revoking a token would revoke with it: live tokens exchanged from it, and the people they act for",
    run: ({ caller, params }) => previewTokenRevocation(caller, params.id),
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
