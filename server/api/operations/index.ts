import "server-only";
import { agentOperations } from "./agents";
import { anomalyOperations } from "./anomalies";
import { approvalOperations } from "./approvals";
import { auditOperations } from "./audit";
import { catalogOperations } from "./catalog";
import { credentialOperations } from "./credentials";
import { decisionOperations } from "./decisions";
import { grantOperations } from "./grants";
import { mcpClientOperations } from "./mcp-clients";
import { peopleOperations } from "./people";
import { policyOperations } from "./policies";
import { tenantOperations } from "./tenants";
import { tokenOperations } from "./tokens";

// Every admin API operation, one file per resource: route files export handle(op) for these, and
// /api/v1/openapi.json is built from the same entries, in this order, and the same zod schemas.

export const operations = {
  ...tenantOperations,
  ...peopleOperations,
  ...agentOperations,
  ...mcpClientOperations,
  ...credentialOperations,
  ...catalogOperations,
  ...tokenOperations,
  ...decisionOperations,
  ...approvalOperations,
  ...policyOperations,
  ...grantOperations,
  ...anomalyOperations,
  ...auditOperations,
};
