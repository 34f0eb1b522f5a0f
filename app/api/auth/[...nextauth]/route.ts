// /api/auth/*: next-auth's console sign-in, sign-out and session endpoints.
import NextAuth from "next-auth";
import { authOptions } from "@/server/auth/options";

type Handler = (req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) => Promise<Response>;

const handler: Handler = async (req, ctx) => NextAuth(req as never, ctx as never, authOptions()) as Promise<Response>;

export { handler as GET, handler as POST };
