import "server-only";
import { decisionRequestSchema } from "@/lib/schemas/decisions";
import { decide } from "../../policies/decide";
import { defineOperations } from "../operation";

// The one operation an agent calls with its own token: may it act now?

export const decisionOperations = defineOperations({
  decide: {
    method: "POST",
    path: "/decisions",
    tag: "Decisions",
    summary: "May this agent do this now? Called by the agent with its own access token",
    description:
      "Answers allow, deny or needs_approval with a reason, the deciding policies and a decision id. Deny by default: an inactive token, an inactive agent, an action outside the token's scopes, a forbidding policy or no permitting policy all deny. Every answer is recorded. A DPoP-bound token (RFC 9449) is sent as `Authorization: DPoP <token>` with a `DPoP` proof for POST and this URL, carrying `ath`; each proof is accepted once. A bound token sent as Bearer, or a bad, replayed or foreign-key proof, is denied with code dpop_invalid; an unbound token of an agent or tenant that requires DPoP with dpop_required.",
    body: decisionRequestSchema,
    auth: "self",
    runSelf: ({ bearer, body, meta, dpop }) => decide(bearer, body, meta, dpop),
  },
});
