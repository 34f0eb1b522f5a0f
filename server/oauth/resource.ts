/** The audience of tokens for Mandate's own API, and the default when a client names none. */
export function apiResource(publicUrl: string): string {
  return `${publicUrl}/api/v1`;
}
