import "server-only";
import { InvalidTokenError } from "@/lib/errors";
import { approvalListSchema, decideApprovalSchema } from "@/lib/schemas/policies";
import { decideApproval, getApproval, getApprovalForAgent, listApprovals } from "../../policies/approvals";
import { apiCaller } from "../authenticate";
import { defineOperations } from "../operation";

// Approval requests: what a policy allows only once a person has said yes.

export const approvalOperations = defineOperations({
  listApprovals: {
    method: "GET",
    path: "/approvals",
    tag: "Approvals",
    summary: "Approval requests in the tenants you can read",
    query: approvalListSchema,
    run: async ({ caller, query }) => ({ data: await listApprovals(caller, query) }),
  },
  getApproval: {
    method: "GET",
    path: "/approvals/{id}",
    tag: "Approvals",
    summary: "One approval request; the agent that asked polls it with its own token",
    auth: "self",
    runSelf: async ({ bearer, params, dpop }) => {
      if (!bearer) throw new InvalidTokenError();
      const asAgent = await getApprovalForAgent(bearer, params.id, dpop);
      if (asAgent) return asAgent;
      return getApproval(await apiCaller(bearer), params.id);
    },
  },
  approveApproval: {
    method: "POST",
    path: "/approvals/{id}/approve",
    tag: "Approvals",
    summary: "Approve: the same request is allowed once, within 15 minutes",
    body: decideApprovalSchema,
    run: ({ caller, params, body }) => decideApproval(caller, params.id, true, body),
  },
  denyApproval: {
    method: "POST",
    path: "/approvals/{id}/deny",
    tag: "Approvals",
    summary: "Deny an approval request",
    body: decideApprovalSchema,
    run: ({ caller, params, body }) => decideApproval(caller, params.id, false, body),
  },
});
