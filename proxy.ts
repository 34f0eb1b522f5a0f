// Sends visitors without a console session to sign-in, remembering where they were going.
// This is only a convenience: every page and domain function checks the caller again.

import { type NextRequest, NextResponse } from "next/server";
import { getToken } from "next-auth/jwt";
import { env } from "@/lib/env";

export async function proxy(req: NextRequest) {
  const config = env();
  const token = await getToken({
    req,
    secret: config.authSecret,
    secureCookie: config.publicUrl.startsWith("https://"),
  });
  if (token) return NextResponse.next();
  const url = new URL("/sign-in", config.publicUrl);
  const target = req.nextUrl.pathname + req.nextUrl.search;
  if (target !== "/") url.searchParams.set("callbackUrl", target);
  return NextResponse.redirect(url);
}

export const config = {
  // Everything but sign-in, invitation links, APIs, OAuth, discovery and static files.
  matcher: ["/((?!sign-in|invite/|api/|oauth/|\\.well-known/|_next/|favicon\\.ico|icon\\.svg|robots\\.txt).*)"],
};
