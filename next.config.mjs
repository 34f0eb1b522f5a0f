/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // Types are checked once, by `npm run typecheck` (CI runs it before the tests), not again per build.
  typescript: { ignoreBuildErrors: true },
  // forbidden() renders app/forbidden.tsx with a 403 status.
  experimental: { authInterrupts: true },
  // Native or WebAssembly modules stay outside the bundle and load from node_modules.
  serverExternalPackages: ["argon2", "@electric-sql/pglite", "pglite-prisma-adapter", "pg", "@cedar-policy/cedar-wasm"],
  // Security headers (CSP with a nonce, framing, sniffing, referrer) are set by the front door,
  // server/http/front-door.ts, for everything it serves.
};

export default nextConfig;
