import { describe, expect, it } from "vitest";
import { interactionOf, routeOf } from "./http";

describe("routeOf", () => {
  it("sends protocol paths and both discovery documents to the authorization server", () => {
    for (const url of [
      "/oauth/token",
      "/oauth/introspect",
      "/oauth/authorize?client_id=x",
      "/.well-known/openid-configuration",
      "/.well-known/oauth-authorization-server",
    ]) {
      expect(routeOf("POST", url), url).toBe("provider");
    }
  });

  it("serves the consent page from the console and takes its answers itself", () => {
    expect(routeOf("GET", "/oauth/interaction/abc123DEF-_")).toBe("next");
    expect(routeOf("POST", "/oauth/interaction/abc123/confirm")).toBe("interaction");
    expect(routeOf("POST", "/oauth/interaction/abc123/abort")).toBe("interaction");
    // A GET of an answer URL is not an answer.
    expect(routeOf("GET", "/oauth/interaction/abc123/confirm")).toBe("next");
    expect(interactionOf("/oauth/interaction/abc123/confirm?x=1")).toEqual({ uid: "abc123", action: "confirm" });
    expect(interactionOf("/oauth/interaction/abc123")).toBeNull();
  });

  it("leaves everything else, including look-alikes, to the console", () => {
    for (const url of [
      "/",
      "/acme/agents",
      "/api/v1/agents",
      "/oauthx/token",
      "/.well-known/security.txt",
      undefined,
    ]) {
      expect(routeOf("GET", url), String(url)).toBe("next");
    }
  });
});
