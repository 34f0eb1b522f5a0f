/** Only same-origin paths may be a post-sign-in destination (no open redirects). */
export function safeCallbackPath(value: string | null | undefined, fallback = "/"): string {
  if (!value) return fallback;
  let path = value;
  // next-auth sometimes hands back an absolute URL on this origin.
  if (/^https?:\/\//i.test(path)) {
    try {
      const url = new URL(path);
      path = url.pathname + url.search;
    } catch {
      return fallback;
    }
  }
  if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) return fallback;
  if (path.startsWith("/sign-in")) return fallback;
  return path;
}
