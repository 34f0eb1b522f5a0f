// The files in public/ (drawn by scripts/make-icons.sh from public/logo.svg): anyone may fetch
// them, signed in or not. proxy.ts's matcher lets the same names through without a session.
export const PUBLIC_FILES: ReadonlySet<string> = new Set([
  "/favicon.ico",
  "/icon.svg",
  "/logo.svg",
  "/apple-touch-icon.png",
  "/icon-192.png",
  "/icon-512.png",
  "/manifest.webmanifest",
]);
