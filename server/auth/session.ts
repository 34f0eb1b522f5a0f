import "server-only";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { cache } from "react";
import { prisma } from "../db";
import { loadUserCaller, type UserCaller } from "./caller";
import { authOptions } from "./options";

/** The signed-in console user, reloaded from the database on every request (once per render). */
export const getCaller = cache(async (): Promise<UserCaller | null> => {
  const session = await getServerSession(authOptions());
  const id = (session?.user as { id?: string } | undefined)?.id;
  if (!id) return null;
  return loadUserCaller(await prisma(), id);
});

/** The caller, or a redirect to sign-in (a deactivated user's session ends here too). */
export async function requireCaller(): Promise<UserCaller> {
  const caller = await getCaller();
  if (!caller) redirect("/sign-in");
  return caller;
}
