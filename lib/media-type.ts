/**
 * Whether a Content-Type names JSON: application/json or an application/…+json type, read as a
 * media type (its parameters after ";" aside, case-insensitive), never as a substring of the header.
 */
export function isJsonMediaType(contentType: string | null | undefined): boolean {
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  return type === "application/json" || /^application\/[a-z0-9.!#$&^_-]+\+json$/.test(type);
}
