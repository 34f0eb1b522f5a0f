import "server-only";
import type { Configuration, KoaContextWithOIDC } from "oidc-provider";
import type { ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";

// The authorization server's own HTML pages: a request that cannot go on, the end-of-session
// question and its answer. They are answered under the authorization server's policy (no script,
// images from this site only: server/http/headers.ts), so their styles are inline: the console's
// colours (Tailwind's slate and indigo, the same oklch values), light and dark. React renders
// them, so every text and attribute is escaped; the one piece of raw HTML is oidc-provider's own
// logout form.

const CSS = `
:root{color-scheme:light dark;--bg:oklch(98.4% .003 247.858);--card:#fff;--border:oklch(92.9% .013 255.508);
--text:oklch(20.8% .042 265.755);--muted:oklch(44.6% .043 257.281);--code:oklch(96.8% .007 247.896);
--primary:oklch(51.1% .262 276.966);--primary-hover:oklch(58.5% .233 277.117);--ring:oklch(86.9% .022 252.894);
--secondary:#fff;--secondary-hover:oklch(98.4% .003 247.858);--link:oklch(51.1% .262 276.966)}
@media (prefers-color-scheme:dark){:root{--bg:oklch(12.9% .042 264.695);--card:oklch(20.8% .042 265.755);
--border:oklch(27.9% .041 260.031);--text:oklch(96.8% .007 247.896);--muted:oklch(70.4% .04 256.788);
--code:oklch(27.9% .041 260.031);--ring:oklch(37.2% .044 257.287);--secondary:oklch(27.9% .041 260.031);
--secondary-hover:oklch(37.2% .044 257.287);--link:oklch(67.3% .182 276.935)}}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:grid;place-items:center;padding:48px 16px;background:var(--bg);color:var(--text);
font:14px/1.5 ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;-webkit-font-smoothing:antialiased}
main{width:100%;max-width:28rem}
.brand{display:flex;align-items:center;justify-content:center;gap:8px;margin-bottom:32px;font-size:20px;font-weight:600;letter-spacing:-.025em}
.card{background:var(--card);border:1px solid var(--border);border-radius:12px;padding:24px;
box-shadow:0 1px 3px 0 rgb(0 0 0/.1),0 1px 2px -1px rgb(0 0 0/.1)}
h1{margin:0 0 8px;font-size:18px;line-height:1.4;font-weight:600}
p{margin:8px 0 0}
.muted{color:var(--muted)}
.description::first-letter{text-transform:uppercase}
code{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--code);padding:2px 6px;border-radius:4px;overflow-wrap:anywhere}
.actions{display:flex;gap:8px;margin-top:24px}
button,.button{flex:1;display:inline-flex;align-items:center;justify-content:center;border:0;border-radius:6px;padding:8px 12px;
font:inherit;font-weight:500;text-decoration:none;cursor:pointer;box-shadow:0 1px 2px 0 rgb(0 0 0/.05)}
.primary{background:var(--primary);color:#fff}.primary:hover{background:var(--primary-hover)}
.secondary{background:var(--secondary);color:var(--text);box-shadow:inset 0 0 0 1px var(--ring)}.secondary:hover{background:var(--secondary-hover)}
:focus-visible{outline:2px solid var(--link);outline-offset:2px}
a{color:var(--link)}
.request{margin-top:16px;text-align:center;font-size:12px;color:var(--muted)}
.request code{font-size:12px;background:none;padding:0}
`;

function Page(props: { title: string; requestId?: string; children: ReactNode }) {
  return (
    <html lang="en">
      {/* biome-ignore lint/style/noHeadElement: a whole page rendered outside Next */}
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${props.title} · Mandate`}</title>
        <link rel="icon" href="/favicon.ico" sizes="16x16 32x32 48x48" />
        <link rel="icon" href="/icon.svg" type="image/svg+xml" />
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: the constant stylesheet above */}
        <style dangerouslySetInnerHTML={{ __html: CSS }} />
      </head>
      <body>
        <main>
          <div className="brand">
            {/* biome-ignore lint/performance/noImgElement: a whole page rendered outside Next */}
            <img src="/logo.svg" alt="" width={28} height={28} />
            Mandate
          </div>
          <section className="card">{props.children}</section>
          {props.requestId && (
            <p className="request">
              Request id: <code>{props.requestId}</code>
            </p>
          )}
        </main>
      </body>
    </html>
  );
}

const render = (page: ReactNode) => `<!doctype html>${renderToStaticMarkup(page)}`;

/** A request that cannot go on: the OAuth error code and its description, for the person in front of it. */
export function errorPage(opts: { error: string; description?: string; requestId?: string }): string {
  return render(
    <Page title="Authorization error" requestId={opts.requestId}>
      <h1>This authorization request cannot continue</h1>
      {opts.description && <p className="description">{opts.description}</p>}
      <p className="muted">
        Error: <code>{opts.error}</code>
      </p>
      <p className="muted">Return to the application that sent you here and try again.</p>
    </Page>,
  );
}

/**
 * Sign out of the authorization server? `form` is oidc-provider's (the confirm action and its
 * xsrf field); the buttons submit it from outside, as its own page does.
 */
export function logoutPage(opts: { form: string; client?: string; requestId?: string }): string {
  return render(
    <Page title="Sign out" requestId={opts.requestId}>
      <h1>Sign out of Mandate?</h1>
      <p>
        {opts.client
          ? `${opts.client} asks to end your session with Mandate's authorization server in this browser.`
          : "This ends your session with Mandate's authorization server in this browser."}
      </p>
      <p className="muted">Agents you have allowed to act for you keep that access until you revoke it.</p>
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: oidc-provider's form, built by the library with its xsrf secret */}
      <div dangerouslySetInnerHTML={{ __html: opts.form }} />
      <div className="actions">
        <button className="primary" type="submit" form="op.logoutForm" name="logout" value="yes">
          Sign out
        </button>
        <button className="secondary" type="submit" form="op.logoutForm">
          Stay signed in
        </button>
      </div>
    </Page>,
  );
}

/**
 * After the answer. "Stay signed in" lands here too: with a client, only that client's part of the
 * session ended; without one, nothing did. `signedIn` tells the page which it is.
 */
export function logoutSuccessPage(opts: { signedIn: boolean; client?: string; requestId?: string }): string {
  const title = opts.signedIn ? "Still signed in" : "Signed out";
  return render(
    <Page title={title} requestId={opts.requestId}>
      <h1>{opts.signedIn ? "You are still signed in" : "You are signed out"}</h1>
      <p>
        {opts.signedIn
          ? opts.client
            ? `${opts.client} no longer shares your session with Mandate's authorization server; you stay signed in.`
            : "Your session with Mandate's authorization server goes on."
          : "Your session with Mandate's authorization server in this browser has ended."}
      </p>
      <div className="actions">
        <a className="button secondary" href="/">
          Open the console
        </a>
      </div>
    </Page>,
  );
}

// oidc-provider's hooks: the request id the front door stamped, and the client's name.

type Features = NonNullable<Configuration["features"]>;
type Logout = NonNullable<Features["rpInitiatedLogout"]>;

const requestIdOf = (ctx: KoaContextWithOIDC) => ctx.get("x-request-id") || undefined;
const clientOf = (ctx: KoaContextWithOIDC) => ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId;

export const renderError: NonNullable<Configuration["renderError"]> = async (ctx, out) => {
  ctx.type = "html";
  ctx.body = errorPage({ error: out.error, description: out.error_description, requestId: requestIdOf(ctx) });
};

export const logoutSource: NonNullable<Logout["logoutSource"]> = async (ctx, form) => {
  ctx.type = "html";
  ctx.body = logoutPage({ form, client: clientOf(ctx), requestId: requestIdOf(ctx) });
};

export const postLogoutSuccessSource: NonNullable<Logout["postLogoutSuccessSource"]> = async (ctx) => {
  // This route reads no session of its own: whether the browser still has one tells the two answers apart.
  const session = await ctx.oidc.provider.Session.get(ctx);
  ctx.type = "html";
  ctx.body = logoutSuccessPage({ signedIn: !!session.accountId, client: clientOf(ctx), requestId: requestIdOf(ctx) });
};
