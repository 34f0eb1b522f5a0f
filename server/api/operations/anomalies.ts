import "server-only";
import { anomalyListSchema, containAnomalySchema } from "@/lib/schemas/anomalies";
import { reasonBodySchema } from "@/lib/schemas/reason";
import { acknowledgeAnomaly, containAnomaly, dismissAnomaly, listAnomalies } from "../../anomalies/anomalies";
import { defineOperations } from "../operation";

// What detection found, and what people do about it.

export const anomalyOperations = defineOperations({
  listAnomalies: {
    method: "GET",
    path: "/anomalies",
    tag: "Anomalies",
    summary: "Anomalies in the tenants where you read agents (open ones unless status is given), newest window first",
    query: anomalyListSchema,
    run: async ({ caller, query }) => ({ data: await listAnomalies(caller, query) }),
  },
  acknowledgeAnomaly: {
    method: "POST",
    path: "/anomalies/{id}/acknowledge",
    tag: "Anomalies",
    summary: "Acknowledge an anomaly (seen, being looked at), with a reason",
    body: reasonBodySchema,
    run: ({ caller, params, body }) => acknowledgeAnomaly(caller, params.id, body),
  },
  dismissAnomaly: {
    method: "POST",
    path: "/anomalies/{id}/dismiss",
    tag: "Anomalies",
    summary: "Dismiss an anomaly, with a reason",
    body: reasonBodySchema,
    run: ({ caller, params, body }) => dismissAnomaly(caller, params.id, body),
  },
  containAnomaly: {
    method: "POST",
    path: "/anomalies/{id}/contain",
    tag: "Anomalies",
    summary:
      "Contain an anomaly in one click: suspend the agent (action suspend) or pull its kill switch (action kill)",
    body: containAnomalySchema,
    run: ({ caller, params, body }) => containAnomaly(caller, params.id, body),
  },
});
