// An MCP client that acts for a person: the official MCP SDK's client and OAuth flow, identified to
// Mandate by a Client ID Metadata Document (its client_id is the https URL of that document, so
// nothing is registered beforehand). The person consents in a browser; Mandate redirects back to a
// loopback callback here (RFC 8252); a tool that needs more scopes than the person gave answers 403
// insufficient_scope, and the client asks the person again for exactly those (step-up).
//
//   MCP_SERVER_URL=http://127.0.0.1:3430/mcp CLIENT_METADATA_URL=https://client.example/mcp-client.json \
//     node --import tsx examples/mcp-client/client.ts
//
// The document at CLIENT_METADATA_URL must be clientMetadataDocument(...)'s answer (run with
// PRINT_METADATA=1 to see it). Mandate fetches it through its outbound guard, so its host must be
// allowed there (OUTBOUND_ALLOW) unless it is a public https address.

import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { auth, type OAuthClientProvider, UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport, StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from "@modelcontextprotocol/sdk/shared/auth.js";

export interface ConsentClientOptions {
  /** The MCP endpoint, e.g. http://127.0.0.1:3430/mcp. */
  serverUrl: string;
  /** The https URL where this client's metadata document is served: its client_id. */
  clientMetadataUrl: string;
  /** The loopback port Mandate redirects the browser back to (0: any free one). */
  callbackPort?: number;
  /** Shows the person the authorization URL (opens a browser, prints it, or hands it to a test). */
  openBrowser: (url: URL) => void | Promise<void>;
  clientName?: string;
}

/** The client metadata document to serve at clientMetadataUrl (draft-ietf-oauth-client-id-metadata-document). */
export function clientMetadataDocument(
  clientMetadataUrl: string,
  redirectUri: string,
  clientName = "Mandate MCP example client",
) {
  return {
    client_id: clientMetadataUrl,
    client_name: clientName,
    redirect_uris: [redirectUri],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "none",
  } satisfies OAuthClientMetadata & { client_id: string };
}

/**
 * The SDK's OAuthClientProvider for a person's consent, kept in memory: the client metadata URL as
 * client_id, PKCE verifier and state for the flow under way, and the tokens it ends with.
 */
class ConsentProvider implements OAuthClientProvider {
  private info?: OAuthClientInformationMixed;
  private saved?: OAuthTokens;
  private verifier?: string;
  private expectedState?: string;

  constructor(
    readonly clientMetadataUrl: string,
    readonly redirectUrl: string,
    private readonly metadata: OAuthClientMetadata,
    private readonly open: (url: URL) => void | Promise<void>,
  ) {}

  get clientMetadata() {
    return this.metadata;
  }
  state() {
    this.expectedState = randomBytes(16).toString("base64url");
    return this.expectedState;
  }
  checkState(state: string | null) {
    return !!this.expectedState && state === this.expectedState;
  }
  clientInformation() {
    return this.info;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.info = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    return this.open(url);
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    if (!this.verifier) throw new Error("no authorization is under way");
    return this.verifier;
  }
  invalidateCredentials(scope: "all" | "client" | "tokens" | "verifier" | "discovery") {
    if (scope === "all" || scope === "tokens") this.saved = undefined;
    if (scope === "all" || scope === "verifier") this.verifier = undefined;
    if (scope === "all" || scope === "client") this.info = undefined;
  }
}

/** A loopback server that takes the browser's redirect and hands over each authorization code, in order. */
async function callbackServer(port: number, provider: () => ConsentProvider) {
  type Result = { code: string } | { error: string };
  const arrived: Result[] = [];
  const waiting: ((result: Result) => void)[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname !== "/callback") return void res.writeHead(404).end();
    const code = url.searchParams.get("code");
    const error = !provider().checkState(url.searchParams.get("state"))
      ? "state_mismatch"
      : (url.searchParams.get("error") ?? (code ? null : "no_code"));
    res.writeHead(error ? 400 : 200, { "content-type": "text/plain; charset=utf-8" });
    res.end(error ? `Authorization failed: ${error}. You can close this window.` : "Done. You can close this window.");
    const result = error ? { error } : { code: code as string };
    const waiter = waiting.shift();
    if (waiter) waiter(result);
    else arrived.push(result);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const settle = (result: Result) => {
    if ("code" in result) return result.code;
    throw new Error(`authorization failed: ${result.error}`);
  };
  return {
    redirectUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`,
    /** The next code the browser brings back (one that came before it was asked for is kept). */
    next: (): Promise<string> => {
      const early = arrived.shift();
      if (early) return Promise.resolve().then(() => settle(early));
      return new Promise<Result>((resolve) => waiting.push(resolve)).then(settle);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Connects to the MCP server for a person: discovery from the server's 401, the person's consent
 * in the browser, the code back on the loopback callback. `call` runs a tool, asking the person
 * for more scopes first when the server says the tool needs them.
 */
export async function connectWithConsent(options: ConsentClientOptions) {
  let provider: ConsentProvider | undefined;
  const callback = await callbackServer(options.callbackPort ?? 0, () => provider as ConsentProvider);
  provider = new ConsentProvider(
    options.clientMetadataUrl,
    callback.redirectUrl,
    clientMetadataDocument(options.clientMetadataUrl, callback.redirectUrl, options.clientName),
    options.openBrowser,
  );
  // The last insufficient_scope challenge the server gave: the scopes to step up to.
  let challenge: { scope?: string; resourceMetadataUrl?: URL } = {};
  const watching = async (input: string | URL | Request, init?: RequestInit) => {
    const response = await fetch(input, init);
    const header = response.headers.get("www-authenticate") ?? "";
    if (response.status === 403 && header.includes('error="insufficient_scope"')) {
      const metadata = /resource_metadata="([^"]+)"/.exec(header)?.[1];
      challenge = {
        scope: /scope="([^"]+)"/.exec(header)?.[1],
        resourceMetadataUrl: metadata ? new URL(metadata) : undefined,
      };
    }
    return response;
  };

  const connect = async () => {
    const transport = new StreamableHTTPClientTransport(new URL(options.serverUrl), {
      authProvider: provider,
      fetch: watching,
    });
    const client = new Client({ name: options.clientName ?? "mandate-mcp-example-client", version: "1.0.0" });
    try {
      await client.connect(transport);
      return { client, transport };
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) throw error;
      // The browser was sent to Mandate; the person's answer comes back on the callback.
      await transport.finishAuth(await callback.next());
      const again = new StreamableHTTPClientTransport(new URL(options.serverUrl), {
        authProvider: provider,
        fetch: watching,
      });
      await client.connect(again);
      return { client, transport: again };
    }
  };

  let session: Awaited<ReturnType<typeof connect>>;
  try {
    session = await connect();
  } catch (error) {
    await callback.close();
    throw error;
  }
  return {
    get client() {
      return session.client;
    },
    /** Calls a tool; when the server wants more scopes (403 insufficient_scope), asks the person for them first. */
    async call(name: string, args: Record<string, unknown>) {
      try {
        return await session.client.callTool({ name, arguments: args });
      } catch (error) {
        const p = provider as ConsentProvider;
        if (error instanceof UnauthorizedError) {
          // The SDK sent the person to Mandate already (a step-up with no refresh token to try first).
          await session.transport.finishAuth(await callback.next());
        } else if (error instanceof StreamableHTTPError && error.code === 403 && challenge.scope) {
          // The SDK refreshed the token (same scopes) and was refused again: ask the person.
          p.invalidateCredentials("tokens");
          const result = await auth(p, {
            serverUrl: options.serverUrl,
            scope: challenge.scope,
            resourceMetadataUrl: challenge.resourceMetadataUrl,
          });
          if (result === "REDIRECT") await session.transport.finishAuth(await callback.next());
        } else {
          throw error;
        }
        await session.client.close();
        session = await connect();
        return session.client.callTool({ name, arguments: args });
      }
    },
    /** The person's tokens as the provider holds them (to revoke, in a test). */
    tokens: () => provider?.tokens(),
    async close() {
      await session.client.close();
      await callback.close();
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { MCP_SERVER_URL = "http://127.0.0.1:3430/mcp", CLIENT_METADATA_URL, CALLBACK_PORT = "3431" } = process.env;
  if (!CLIENT_METADATA_URL) {
    console.error("Set CLIENT_METADATA_URL: the https URL where this client's metadata document is served.");
    process.exit(1);
  }
  if (process.env.PRINT_METADATA) {
    const redirect = `http://127.0.0.1:${CALLBACK_PORT}/callback`;
    console.log(JSON.stringify(clientMetadataDocument(CLIENT_METADATA_URL, redirect), null, 2));
    process.exit(0);
  }
  const session = await connectWithConsent({
    serverUrl: MCP_SERVER_URL,
    clientMetadataUrl: CLIENT_METADATA_URL,
    callbackPort: Number(CALLBACK_PORT),
    openBrowser: (url) => console.log(`Open this in a browser to consent:\n${url}`),
  });
  const { tools } = await session.client.listTools();
  console.log("tools:", tools.map((t) => t.name).join(", "));
  console.log(JSON.stringify(await session.call("crm.read_contact", { contact_id: "c-100" }), null, 2));
  console.log(
    JSON.stringify(
      await session.call("payments.refund", { payment_id: "pay-1", amount: 40, currency: "EUR" }),
      null,
      2,
    ),
  );
  await session.close();
}
