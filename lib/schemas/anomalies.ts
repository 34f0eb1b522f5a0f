import { z } from "zod";
import { reasonSchema } from "./reason";

export const anomalyListSchema = z.object({
  tenant: z.uuid("Use a tenant id.").optional(),
  agent: z.uuid("Use an agent id.").optional(),
  status: z
    .enum(["open", "acknowledged", "dismissed", "contained", "all"], {
      error: "Use open, acknowledged, dismissed, contained or all.",
    })
    .default("open"),
});

/** Containing an anomaly's agent in one click: suspend it, or pull its kill switch. */
export const containAnomalySchema = z.object({
  action: z.enum(["suspend", "kill"], { error: "Use suspend or kill." }),
  reason: reasonSchema,
});
