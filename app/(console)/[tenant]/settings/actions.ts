"use server";

import { revalidatePath } from "next/cache";
import type { ActionResult } from "@/lib/action-result";
import { runAction } from "@/server/actions";
import { deactivateUser } from "@/server/users/deactivate-user";

export async function deactivateUserAction(userId: string, reason: string): Promise<ActionResult> {
  const result = await runAction(async (caller) => void (await deactivateUser(caller, userId, { reason })));
  revalidatePath("/[tenant]", "layout");
  return result;
}
