import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./safe-redirect";

const ORIGIN = "http://localhost:3000";

describe("safeCallbackPath", () => {
  it.each([
    ["/acme/agents", "/acme/agents"],
    ["/acme?x=1", "/acme?x=1"],
    ["/acme#top", "/acme#top"],
    ["http://localhost:3000/globex", "/globex"],
    ["acme/agents", "/acme/agents"],
    ["/acme/%2F%2Fevil.example.com", "/acme/%2F%2Fevil.example.com"],
    // The browser reads a scheme-relative "http:" against an http page as a path on this site.
    ["http:evil.example.com", "/evil.example.com"],
  ])("keeps same-site destination %s", (input, expected) => {
    expect(safeCallbackPath(input, ORIGIN)).toBe(expected);
  });

  // Regression: a tab (or other control character or whitespace) before a second slash passed
  // the old string check, and the browser, which drops it, landed on another site.
  it.each([
    "https://evil.example.com/steal",
    "http://localhost:3001/other-port",
    "//evil.example.com",
    "/\\evil.example.com",
    "\\\\evil.example.com",
    "/\t/evil.example.com",
    "/\n/evil.example.com",
    "/\r/evil.example.com",
    " //evil.example.com",
    "/ /evil.example.com",
    "\t//evil.example.com",
    "/\u0000/evil.example.com",
    "/\u000b/evil.example.com",
    "/\u00a0/evil.example.com",
    "/\u3000/evil.example.com",
    "https:/evil.example.com",
    "http://localhost:3000@evil.example.com/",
    "http://evil.example.com\\@localhost:3000/",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/sign-in?callbackUrl=/x",
    "/sign-in",
    "",
    null,
    undefined,
  ])("falls back to / for %j", (input) => {
    expect(safeCallbackPath(input, ORIGIN)).toBe("/");
  });

  it("never answers anything a browser would resolve to another origin, whatever the input", () => {
    const pieces = fc.constantFrom(
      "/",
      "//",
      "\\",
      "\t",
      "\n",
      " ",
      "%2f",
      "%09",
      "%5c",
      "@",
      ":",
      "evil.example.com",
      "http:",
      "https://",
      "javascript:",
      "?",
      "#",
      ".",
      "..",
      "acme",
      "\u0000",
      "\u3000",
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string({ maxLength: 4 })), { maxLength: 12 }), (parts) => {
        const out = safeCallbackPath(parts.join(""), ORIGIN);
        expect(out.startsWith("/")).toBe(true);
        expect(out.startsWith("//")).toBe(false);
        expect(new URL(out, ORIGIN).origin).toBe(ORIGIN);
        expect(new URL(out, "https://another.example").origin).toBe("https://another.example");
      }),
      { numRuns: 5_000 },
    );
  });
});
