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
      "Answers allow, deny or needs_approval with a reason, the deciding policies and a decision id. Deny by default: an inactive token, an inactive agent, an action outside the token's scopes, a forbidding policy or no permitting policy all deny. Every answer is recorded.",
    body: decisionRequestSchema,
    auth: "self",
    runSelf: ({ bearer, body, meta }) => decide(bearer, body, meta),
  },
});
