import { describe, expect, it } from "vitest";
import { canonicalJson, eventHash, GENESIS_HASH } from "./chain";

describe("the audit chain's arithmetic", () => {
  it("writes JSON canonically: keys sorted at every depth, no whitespace, undefined dropped", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, "x", null], c: true }, e: undefined })).toBe(
      '{"a":{"c":true,"d":[1,"x",null]},"b":1}',
    );
    expect(canonicalJson(null)).toBe("null");
    expect(canonicalJson("é\n")).toBe('"é\\n"');
  });

  it("hashes prev, seq and the event, so that any of them changed changes the hash", () => {
    const h = eventHash(GENESIS_HASH, 1, '{"a":1}');
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(eventHash(GENESIS_HASH, 2, '{"a":1}')).not.toBe(h);
    expect(eventHash(h, 1, '{"a":1}')).not.toBe(h);
    expect(eventHash(GENESIS_HASH, 1, '{"a":2}')).not.toBe(h);
    // Pinned: the database computes the same with sha256(convert_to(...)) (record.ts).
    expect(eventHash("", 0, "")).toBe("3c8b8315b8e547df336157f97bf88054954d2aed3afb4185378d9582ee64e275");
  });
});
