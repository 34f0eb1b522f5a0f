/** The audience of tokens for Mandate's own API, and the default when a client names none. */
export function apiResource(publicUrl: string): string {
  return `${publicUrl}/api/v1`;
}

/** Where the API's protected resource metadata lives (RFC 9728 §3: the resource's path after the well-known name). */
export const RESOURCE_METADATA_PATH = "/.well-known/oauth-protected-resource/api/v1";

export function resourceMetadataUrl(publicUrl: string): string {
  return `${publicUrl}${RESOURCE_METADATA_PATH}`;
}

/**
 * Mandate's API as an OAuth protected resource (RFC 9728): what it is, who issues its tokens (the
 * authorization server at PUBLIC_URL, whose own metadata says the rest), how tokens are sent, and
 * where it is documented. MCP clients and other resource-first clients start here.
 */
export function protectedResourceMetadata(publicUrl: string) {
  return {
    resource: apiResource(publicUrl),
    authorization_servers: [publicUrl],
    bearer_methods_supported: ["header"],
    resource_name: "Mandate API (admin and decisions)",
    resource_documentation: `${publicUrl}/api/v1/openapi.json`,
  };
}
