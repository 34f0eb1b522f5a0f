// The browser's part of authorization code + PKCE, driven by hand against the test server:
// authorize → consent page → the person's answer (with their console session) → back to the
// agent's redirect URI. Tests that need a person's grant, and its tokens, start here.
import * as oauth from "oauth4webapi";
import { sessionCookie } from "./factories";
import { CookieJar, type OAuthTestServer } from "./oauth-server";

export interface ConsentOptions {
  agentId: string;
  redirectUri: string;
  /** The person answering (their console session is forged with the server's AUTH_SECRET). */
  user: { id: string; email: string };
  scope: string;
  verifier: string;
  tick?: string[];
  answer?: "confirm" | "abort";
  origin?: string;
  state?: string;
}

/** The URL the browser lands on at the agent, or the status with which the answer was refused. */
export async function authorize(
  server: OAuthTestServer,
  as: oauth.AuthorizationServer,
  opts: ConsentOptions,
): Promise<URL | { refused: number }> {
  const url = new URL(as.authorization_endpoint as string);
  url.search = new URLSearchParams({
    client_id: opts.agentId,
    response_type: "code",
    redirect_uri: opts.redirectUri,
    scope: opts.scope,
    state: opts.state ?? "s-1",
    code_challenge: await oauth.calculatePKCECodeChallenge(opts.verifier),
    code_challenge_method: "S256",
  }).toString();

  const jar = new CookieJar();
  const start = await fetch(url, { redirect: "manual" });
  jar.take(start);
  const consent = start.headers.get("location") ?? "";
  if (!/^\/oauth\/interaction\/[\w-]+$/.test(consent)) throw new Error(`no consent page: ${start.status} ${consent}`);

  jar.set("next-auth.session-token", await sessionCookie(opts.user, server.config.authSecret));
  const body = new URLSearchParams();
  for (const s of opts.tick ?? opts.scope.split(" ")) body.append("scope", s);
  const answer = await fetch(new URL(`${consent}/${opts.answer ?? "confirm"}`, server.issuer), {
    method: "POST",
    redirect: "manual",
    headers: {
      cookie: jar.header(),
      origin: opts.origin ?? server.issuer,
      "content-type": "application/x-www-form-urlencoded",
    },
    body,
  });
  if (answer.status !== 303) return { refused: answer.status };
  jar.take(answer);
  const resume = await fetch(new URL(answer.headers.get("location") ?? "", server.issuer), {
    redirect: "manual",
    headers: { cookie: jar.header() },
  });
  return new URL(resume.headers.get("location") ?? "");
}

/** Consent, then the code exchanged for tokens with the agent's client secret. */
export async function delegatedTokens(
  server: OAuthTestServer,
  as: oauth.AuthorizationServer,
  opts: Omit<ConsentOptions, "verifier"> & { secret: string },
): Promise<oauth.TokenEndpointResponse> {
  const verifier = oauth.generateRandomCodeVerifier();
  const callback = await authorize(server, as, { ...opts, verifier });
  if (!(callback instanceof URL)) throw new Error(`consent refused with ${callback.refused}`);
  const client: oauth.Client = { client_id: opts.agentId };
  const params = oauth.validateAuthResponse(as, client, callback, opts.state ?? "s-1");
  const insecure = { [oauth.allowInsecureRequests]: true };
  return oauth.processAuthorizationCodeResponse(
    as,
    client,
    await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic(opts.secret),
      params,
      opts.redirectUri,
      verifier,
      insecure,
    ),
  );
}
