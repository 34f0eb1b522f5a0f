import "server-only";
import { cookies, headers } from "next/headers";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { OAuthConfig } from "next-auth/providers/oauth";
import type { TokenSet } from "openid-client";
import { type Env, env } from "@/lib/env";
import { DomainError } from "@/lib/errors";
import { safeCallbackPath } from "@/lib/safe-redirect";
import { isUuid } from "@/lib/validation";
import { recordAudit } from "../audit/record";
import { prisma } from "../db";
import { requestMeta } from "./request-meta";
import { endSession } from "./sessions";
import { signInWithPassword, signInWithSso } from "./sign-in";

/** The invitation an SSO sign-in was started from (set by the invitation page, read once here). */
export const INVITATION_COOKIE = "mandate-invitation";

export const SIGN_IN_FAILED = "Sign-in failed. Try again in a moment.";

let cached: NextAuthOptions | undefined;

/** next-auth for console sign-in: JWT sessions that carry only the user id. */
export function authOptions(): NextAuthOptions {
  if (cached) return cached;
  const config = env();
  const maxAge = config.SESSION_MAX_AGE_MINUTES * 60;
  const sso = config.sso;
  cached = {
    secret: config.authSecret,
    session: { strategy: "jwt", maxAge, updateAge: 5 * 60 },
    jwt: { maxAge },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    useSecureCookies: config.publicUrl.startsWith("https://"),
    providers: [
      CredentialsProvider({
        id: "password",
        name: "Email and password",
        credentials: { email: { type: "email" }, password: { type: "password" } },
        async authorize(credentials, req) {
          try {
            return await signInWithPassword(
              { email: credentials?.email, password: credentials?.password },
              requestMeta(req?.headers),
            );
          } catch (error) {
            if (error instanceof DomainError) throw new Error(error.message);
            console.error("sign-in failed", error);
            throw new Error(SIGN_IN_FAILED);
          }
        },
      }),
      ...(sso ? [ssoProvider(sso)] : []),
    ],
    callbacks: {
      // Wherever next-auth sends the browser after signing in or out (SSO's callbackUrl included):
      // a path on this site, parsed as the browser will, or the start page.
      redirect({ url, baseUrl }) {
        return `${baseUrl}${safeCallbackPath(url, baseUrl, "/sign-in")}`;
      },
      async signIn({ user, account }) {
        if (account?.provider !== "sso") return true;
        const jar = await cookies();
        const linked = await signInWithSso(
          {
            email: user.email,
            emailVerified: (user as { emailVerified?: boolean | null }).emailVerified,
            subject: account.providerAccountId,
            name: user.name,
          },
          requestMeta(await headers()),
          // Set by the invitation page just before it sent the person to the identity provider.
          jar.get(INVITATION_COOKIE)?.value,
        );
        if (!linked) return "/sign-in?error=sso_no_account";
        // The session is for the Mandate user, not the identity provider's subject.
        user.id = linked.id;
        (user as { sid?: string }).sid = linked.sid;
        return true;
      },
      async jwt({ token, user }) {
        // At sign-in: the user and the server-side session every later request is checked against.
        if (user) {
          token.sub = user.id;
          token.sid = (user as { sid?: string }).sid;
        }
        return token;
      },
      async session({ session, token }) {
        return { ...session, user: { id: token.sub, email: token.email, name: token.name } };
      },
    },
    events: {
      async signOut({ token }) {
        if (!token?.sub) return;
        const sid = typeof token.sid === "string" && isUuid(token.sid) ? token.sid : null;
        const db = await prisma();
        await db.$transaction(async (tx) => {
          // The session ends on the server: a copy of the cookie no longer works either.
          if (sid) await endSession(tx, sid, "sign_out");
          await recordAudit(tx, {
            action: "auth.sign_out",
            outcome: "success",
            actor: { type: "user", id: token.sub, label: token.email },
            data: sid ? { session: sid } : undefined,
            meta: requestMeta(await headers()),
          });
        });
      },
    },
  };
  return cached;
}

interface SsoProfile {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

/** Console single sign-on with any OpenID Connect provider, found through its discovery document. */
function ssoProvider(sso: NonNullable<Env["sso"]>): OAuthConfig<SsoProfile> {
  return {
    id: "sso",
    name: sso.name,
    type: "oauth",
    wellKnown: `${sso.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`,
    clientId: sso.clientId,
    clientSecret: sso.clientSecret,
    authorization: { params: { scope: "openid email profile" } },
    idToken: true,
    checks: ["pkce", "state"],
    // Many providers put email only in userinfo, not in the ID token (OIDC Core 5.4): take the
    // validated ID token's claims, completed by userinfo for the same subject.
    userinfo: {
      async request({ tokens, client }) {
        // next-auth types these loosely; at run time they are openid-client's validated TokenSet.
        const set = tokens as unknown as TokenSet;
        return { ...set.claims(), ...(await client.userinfo(set)) } as SsoProfile;
      },
    },
    profile(profile) {
      return {
        id: profile.sub,
        email: profile.email ?? null,
        name: profile.name ?? null,
        emailVerified: profile.email_verified ?? null,
      };
    },
  };
}
