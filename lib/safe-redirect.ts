import { hasControlCharacters } from "./validation";

/**
 * Only paths on this site may be a post-sign-in destination (no open redirects). The value is
 * parsed by the URL parser against the console's own origin, exactly as a browser would resolve
 * it, and accepted only when it lands on that origin; anything the parser would have had to clean
 * up (control characters, whitespace, backslashes) is refused outright, and a path is never
 * returned with two leading slashes (which a browser would read as another host).
 */
export function safeCallbackPath(value: string | null | undefined, origin: string, fallback = "/"): string {
  if (!value || value.length > 2048) return fallback;
  if (hasControlCharacters(value) || /[\s\\]/.test(value)) return fallback;
  let base: URL;
  let url: URL;
  try {
    base = new URL(origin);
    url = new URL(value, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base.origin || (url.protocol !== "http:" && url.protocol !== "https:")) return fallback;
  const path = url.pathname.replace(/^\/+/, "/");
  if (path === "/sign-in" || path.startsWith("/sign-in/")) return fallback;
  return `${path}${url.search}${url.hash}`;
}
