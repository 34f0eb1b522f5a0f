import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./safe-redirect";

describe("safeCallbackPath", () => {
  it.each([
    ["/acme/agents", "/acme/agents"],
    ["/acme?x=1", "/acme?x=1"],
    ["http://localhost:3000/globex", "/globex"],
  ])("keeps same-site path %s", (input, expected) => {
    expect(safeCallbackPath(input)).toBe(expected);
  });

  it.each(["//evil.example.com", "/\\evil.example.com", "javascript:alert(1)", "evil", "/sign-in?callbackUrl=/x", "", null, undefined])(
    "falls back for %s",
    (input) => {
      expect(safeCallbackPath(input)).toBe("/");
    },
  );
});
