import { z } from "zod";

/** Why a change was made: kept with the change and in its audit event. */
export const reasonSchema = z
  .string({ error: "Give a reason." })
  .trim()
  .min(3, "Give a reason of at least 3 characters.")
  .max(500, "Use at most 500 characters.");

/** A body that is a reason and nothing else: revoking, suspending, dismissing, reactivating… */
export const reasonBodySchema = z.object({ reason: reasonSchema });
