import "server-only";

/** The page a person sees when an authorization request cannot go on (no console chrome). */
export function errorPage(error: string, description?: string): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Authorization error · Mandate</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>body{font-family:system-ui,sans-serif;background:#f8fafc;color:#0f172a;display:grid;place-items:center;min-height:100vh;margin:0}
main{background:#fff;border:1px solid #e2e8f0;border-radius:12px;padding:32px;max-width:480px}h1{font-size:18px;margin:0 0 8px}
code{background:#f1f5f9;padding:2px 6px;border-radius:4px}</style></head>
<body><main><h1>This authorization request cannot continue</h1><p><code>${esc(error)}</code></p>
<p>${esc(description ?? "")}</p><p>Return to the application that sent you here and try again.</p></main></body></html>`;
}
