import "server-only";
import type { Env } from "@/lib/env";
import type { Db } from "../db";
import { createUser } from "../users/create-user";

const SYSTEM = { type: "system", label: "bootstrap" } as const;

/** On an empty database, BOOTSTRAP_ADMIN_EMAIL/PASSWORD create the first security admin. */
export async function bootstrapAdmin(db: Db, config: Env): Promise<string | null> {
  if (!config.BOOTSTRAP_ADMIN_EMAIL || !config.BOOTSTRAP_ADMIN_PASSWORD) return null;
  const user = await createUser(
    db,
    {
      email: config.BOOTSTRAP_ADMIN_EMAIL,
      name: "Bootstrap admin",
      password: config.BOOTSTRAP_ADMIN_PASSWORD,
      global_role: "security_admin",
    },
    SYSTEM,
  );
  return user.email;
}
