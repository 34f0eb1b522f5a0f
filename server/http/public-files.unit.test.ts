import { readdirSync } from "node:fs";
import path from "node:path";
import { unstable_doesMiddlewareMatch } from "next/experimental/testing/server";
import { describe, expect, it } from "vitest";
import { config } from "@/proxy";
import { PUBLIC_FILES } from "./public-files";

// The icons and logo are fetched by browsers without a session (a favicon, a manifest, the logo on
// the sign-in page and the authorization server's pages), so proxy.ts must let exactly these
// through; everything else still goes to sign-in.

const proxied = (url: string) => unstable_doesMiddlewareMatch({ config, url });

describe("public files", () => {
  it("are the files in public/", () => {
    const files = readdirSync(path.join(import.meta.dirname, "../../public")).map((f) => `/${f}`);
    expect([...PUBLIC_FILES].sort()).toEqual(files.sort());
  });

  it("reach Next without a session: the proxy does not run for them", () => {
    for (const file of PUBLIC_FILES) expect(proxied(file), file).toBe(false);
  });

  // Regression guard: a prefix in the matcher's lookahead would have let /logo.svgx or
  // /favicon.ico/anything skip sign-in too.
  it("are matched whole: pages whose names merely start like them still need a session", () => {
    for (const url of [
      "/",
      "/acme",
      "/acme/agents",
      "/logo.svgx",
      "/favicon.ico/acme",
      "/icon-192.png.html",
      "/people",
    ]) {
      expect(proxied(url), url).toBe(true);
    }
  });
});
