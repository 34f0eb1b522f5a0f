// Node resolve hook for code run outside Next's bundler (server.ts under tsx, scripts, benches):
// `server-only` guards against client bundles, which such code is not, so it resolves to nothing.
import { register } from "node:module";

const EMPTY = "data:text/javascript,export {}";

export async function resolve(specifier, context, next) {
  if (specifier === "server-only") return { url: EMPTY, shortCircuit: true };
  return next(specifier, context);
}

if (!process.env.__MANDATE_HOOK_REGISTERED) {
  process.env.__MANDATE_HOOK_REGISTERED = "1";
  register(import.meta.url);
}
