import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import type Provider from "oidc-provider";
import { OAUTH_PREFIX } from "./provider";

const DISCOVERY = new Set(["/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"]);
const INTERACTION = /^\/oauth\/interaction\/([\w-]+)(?:\/(confirm|abort))?$/;

/** Which requests belong to the authorization server rather than to the console. */
export function routeOf(method: string | undefined, url: string | undefined): "provider" | "interaction" | "next" {
  const pathname = (url ?? "/").split("?")[0];
  const interaction = INTERACTION.exec(pathname);
  // The consent page itself is a console page (Next); its form posts come back here.
  if (interaction) return interaction[2] && method === "POST" ? "interaction" : "next";
  if (DISCOVERY.has(pathname) || pathname === OAUTH_PREFIX || pathname.startsWith(`${OAUTH_PREFIX}/`)) {
    return "provider";
  }
  return "next";
}

export function interactionOf(url: string | undefined): { uid: string; action: "confirm" | "abort" } | null {
  const m = INTERACTION.exec((url ?? "/").split("?")[0]);
  return m?.[2] ? { uid: m[1], action: m[2] as "confirm" | "abort" } : null;
}

export function providerHandler(provider: Provider): (req: IncomingMessage, res: ServerResponse) => void {
  return provider.callback() as (req: IncomingMessage, res: ServerResponse) => void;
}
