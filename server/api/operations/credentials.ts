import "server-only";
import { createCredentialSchema } from "@/lib/schemas/agents";
import { reasonBodySchema } from "@/lib/schemas/reason";
import { createCredential, revokeCredential } from "../../agents/credentials";
import { getAgentDetail } from "../../agents/get-agent";
import { defineOperations } from "../operation";

// How agents prove who they are: client secrets and public keys.

export const credentialOperations = defineOperations({
  listCredentials: {
    method: "GET",
    path: "/agents/{id}/credentials",
    tag: "Credentials",
    summary: "An agent's credentials (never a secret: only its first characters)",
    run: async ({ caller, params }) => ({ data: (await getAgentDetail(caller, params.id)).credentials }),
  },
  createCredential: {
    method: "POST",
    path: "/agents/{id}/credentials",
    tag: "Credentials",
    summary: "Add a client secret (returned in this answer only) or a public key",
    body: createCredentialSchema,
    status: 201,
    run: async ({ caller, params, body }) => {
      const { credential, secret } = await createCredential(caller, params.id, body);
      return {
        id: credential.id,
        type: credential.type.toLowerCase(),
        label: credential.label,
        secretPrefix: credential.secretPrefix,
        expiresAt: credential.expiresAt,
        createdAt: credential.createdAt,
        ...(secret ? { clientSecret: secret } : {}),
      };
    },
  },
  revokeCredential: {
    method: "DELETE",
    path: "/agents/{id}/credentials/{credentialId}",
    tag: "Credentials",
    summary: "Revoke a credential",
    body: reasonBodySchema,
    status: 204,
    run: ({ caller, params, body }) => revokeCredential(caller, params.id, params.credentialId, body as object),
  },
});
