import type { KoaContextWithOIDC } from "oidc-provider";
import { describe, expect, it } from "vitest";
import { errorPage, logoutPage, logoutSuccessPage, renderError } from "./pages";

// The authorization server's own pages put text from the request (an error description can quote
// a client id or a redirect URI) into HTML: it must arrive as text, never as markup.

const HOSTILE = `<script>alert("x")</script><img src=x onerror='alert(1)'>`;
const FORM = `<form id="op.logoutForm" method="post" action="/oauth/session/end/confirm"><input type="hidden" name="xsrf" value="s3cret"/></form>`;

describe("the error page", () => {
  const html = errorPage({ error: "invalid_client", description: HOSTILE, requestId: "req-123" });

  it("shows the description as text: no element, no attribute of its making", () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img src=x/i);
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).toContain("onerror=&#x27;alert(1)&#x27;");
  });

  it("names the error, the request id and the logo", () => {
    expect(html).toContain("Error: <code>invalid_client</code>");
    expect(html).toMatch(/Request id: <code>req-123<\/code>/);
    expect(html).toContain('<img src="/logo.svg"');
    expect(html.startsWith("<!doctype html>")).toBe(true);
  });

  it("escapes the error code and the request id too", () => {
    const page = errorPage({ error: '"><b>x', requestId: "<i>id</i>" });
    expect(page).not.toContain("<b>");
    expect(page).not.toContain("<i>");
  });

  it("leaves the request id out when there is none, rather than showing an empty one", () => {
    expect(errorPage({ error: "server_error" })).not.toContain("Request id");
  });
});

describe("the end-of-session pages", () => {
  it("keep oidc-provider's form with its xsrf field, submitted by Sign out and Stay signed in", () => {
    const html = logoutPage({ form: FORM, client: HOSTILE, requestId: "req-9" });
    expect(html).toContain(FORM);
    const button = (label: string) => new RegExp(`<button([^>]*)>${label}</button>`).exec(html)?.[1] ?? "";
    expect(button("Sign out")).toContain('form="op.logoutForm"');
    expect(button("Sign out")).toContain('name="logout"');
    expect(button("Sign out")).toContain('value="yes"');
    expect(button("Stay signed in")).toContain('form="op.logoutForm"');
    expect(button("Stay signed in")).not.toContain('name="logout"');
    // The client's name is the agent's, which its owner chose: text only.
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("Request id: <code>req-9</code>");
    expect(html).toContain('<img src="/logo.svg"');
  });

  it("say whether the browser is still signed in", () => {
    expect(logoutSuccessPage({ signedIn: false })).toContain("You are signed out");
    expect(logoutSuccessPage({ signedIn: true })).toContain("You are still signed in");
    expect(logoutSuccessPage({ signedIn: true, client: HOSTILE })).not.toMatch(/<script/i);
  });
});

describe("oidc-provider's renderError", () => {
  it("answers HTML with the request id the front door stamped", async () => {
    const ctx = {
      type: "",
      body: "",
      get: (name: string) => (name === "x-request-id" ? "stamped-id" : ""),
    } as unknown as KoaContextWithOIDC;
    await renderError(ctx, { error: "invalid_request", error_description: "missing client_id" }, new Error("x"));
    expect(ctx.type).toBe("html");
    expect(ctx.body).toContain("Request id: <code>stamped-id</code>");
    expect(ctx.body).toContain("missing client_id");
  });
});
