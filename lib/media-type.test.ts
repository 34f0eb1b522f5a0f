import { describe, expect, it } from "vitest";
import { isJsonMediaType } from "./media-type";

describe("isJsonMediaType", () => {
  it.each([
    "application/json",
    "Application/JSON",
    "application/json; charset=utf-8",
    " application/json ",
    "application/merge-patch+json",
  ])("accepts %j", (value) => expect(isJsonMediaType(value)).toBe(true));

  // Regression: the check was a substring match, so any header containing the words passed.
  it.each([
    "text/plain; x=application/json",
    "text/plain, application/json",
    "application/jsonp",
    "application/json-seq",
    "multipart/form-data; boundary=application/json",
    "text/application/json",
    "application/x-www-form-urlencoded",
    "",
    null,
    undefined,
  ])("refuses %j", (value) => expect(isJsonMediaType(value)).toBe(false));
});
