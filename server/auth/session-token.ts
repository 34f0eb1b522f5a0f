import "server-only";
import { getToken } from "next-auth/jwt";
import { type Env, env } from "@/lib/env";
import { prisma } from "../db";
import { loadSessionCaller, type UserCaller } from "./caller";

/** Cookies as next/headers gives them (getAll) or as a plain name → value record. */
type CookieSource = { getAll(): { name: string; value: string }[] } | Record<string, string>;

/**
 * The console user behind a request's session cookie: next-auth's JWT names the user and the
 * server-side session, and the session must still be live (caller.ts). Only the cookie counts:
 * no Authorization header is read here.
 */
export async function callerFromCookies(
  cookies: CookieSource,
  config: Pick<Env, "authSecret" | "publicUrl" | "SESSION_MAX_AGE_MINUTES"> = env(),
): Promise<UserCaller | null> {
  const token = await getToken({
    req: { cookies, headers: {} } as unknown as Parameters<typeof getToken>[0]["req"],
    secret: config.authSecret,
    secureCookie: config.publicUrl.startsWith("https://"),
  });
  const sub = typeof token?.sub === "string" ? token.sub : null;
  const sid = typeof token?.sid === "string" ? token.sid : null;
  if (!sub || !sid) return null;
  return loadSessionCaller(await prisma(), sub, sid, config.SESSION_MAX_AGE_MINUTES);
}
