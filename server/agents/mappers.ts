import "server-only";
import type { AgentStatus } from "@/lib/agent-lifecycle";
import type { AgentEnvironment } from "@/lib/schemas/agents";
import type { Risk } from "@/lib/schemas/catalog";
import type {
  AgentEnvironment as DbEnvironment,
  Risk as DbRisk,
  AgentStatus as DbStatus,
} from "../db/generated/client";

// The database spells enums in capitals; the console and the API in lower case.
export const statusFromDb = (s: DbStatus) => s.toLowerCase() as AgentStatus;
export const statusToDb = (s: AgentStatus) => s.toUpperCase() as DbStatus;
export const environmentFromDb = (e: DbEnvironment) => e.toLowerCase() as AgentEnvironment;
export const environmentToDb = (e: AgentEnvironment) => e.toUpperCase() as DbEnvironment;
export const riskFromDb = (r: DbRisk) => r.toLowerCase() as Risk;
export const riskToDb = (r: Risk) => r.toUpperCase() as DbRisk;
