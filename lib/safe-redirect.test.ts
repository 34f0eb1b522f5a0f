import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./safe-redirect";

const ORIGIN = "http://localhost:3000";

describe("safeCallbackPath", () => {
  it.each([
    ["/acme/agents", "/acme/agents"],
    ["/acme?x=1", "/acme?x=1"],
    ["http://localhost:3000/globex", "/globex"],
  ])("keeps same-site destination %s", (input, expected) => {
    expect(safeCallbackPath(input, ORIGIN)).toBe(expected);
  });

  it.each([
    "https://evil.example.com/steal",
    "http://localhost:3001/other-port",
    "//evil.example.com",
    "/\\evil.example.com",
    "javascript:alert(1)",
    "evil",
    "/sign-in?callbackUrl=/x",
    "",
    null,
    undefined,
  ])("falls back to / for %s", (input) => {
    expect(safeCallbackPath(input, ORIGIN)).toBe("/");
  });

  it("refuses absolute URLs when no origin is known", () => {
    expect(safeCallbackPath("http://localhost:3000/acme")).toBe("/");
  });
});
