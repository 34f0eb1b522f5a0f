/**
 * Only paths on this site may be a post-sign-in destination (no open redirects). An absolute URL
 * is accepted only when its origin is `origin` (this Mandate's PUBLIC_URL).
 */
export function safeCallbackPath(value: string | null | undefined, origin?: string, fallback = "/"): string {
  if (!value) return fallback;
  let path = value;
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) {
    try {
      const url = new URL(path);
      if (!origin || url.origin !== new URL(origin).origin) return fallback;
      path = url.pathname + url.search;
    } catch {
      return fallback;
    }
  }
  if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) return fallback;
  if (path.startsWith("/sign-in")) return fallback;
  return path;
}
