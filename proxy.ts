// Sends visitors without a console session to sign-in, remembering where they were going, and
// refuses console actions (server actions) posted from another site. The first is only a
// convenience: every page and domain function checks the caller again.

import { type NextRequest, NextResponse } from "next/server";
import { getToken } from "next-auth/jwt";
import { env } from "@/lib/env";

/** A server action is a POST with Next's action header: only this site's own pages may send one. */
function crossSiteAction(req: NextRequest, origin: string): boolean {
  if (req.method !== "POST" || !req.headers.has("next-action")) return false;
  return req.headers.get("origin") !== origin;
}

export async function proxy(req: NextRequest) {
  const config = env();
  if (crossSiteAction(req, new URL(config.publicUrl).origin)) {
    // Next itself would fail such a request with a 500; it is the client's doing, so a 403.
    return NextResponse.json(
      { error: "forbidden", message: "Cross-site request refused: console actions come from Mandate's own pages." },
      { status: 403 },
    );
  }
  // Signing in and accepting an invitation need no session.
  const path = req.nextUrl.pathname;
  if (path === "/sign-in" || path.startsWith("/sign-in/") || path.startsWith("/invite/")) return NextResponse.next();
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
  // Everything but APIs, OAuth, discovery, Next's assets and the files in public/ (exactly those
  // names: server/http/public-files.ts lists them, and its test holds the two together).
  matcher: [
    "/((?!api/|oauth/|\\.well-known/|_next/|(?:favicon\\.ico|icon\\.svg|logo\\.svg|apple-touch-icon\\.png|icon-192\\.png|icon-512\\.png|manifest\\.webmanifest|robots\\.txt)$).*)",
  ],
};
