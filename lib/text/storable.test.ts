import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { storableJson, storableText, truncate, unstorableAt, unstorablePath } from "./storable";

describe("storable text", () => {
  it("escapes NUL and unpaired surrogates visibly, and keeps everything else as it is", () => {
    expect(storableText("plain café 🦊")).toEqual({ text: "plain café 🦊", changed: false });
    expect(storableText("a\u0000b")).toEqual({ text: "a\\u0000b", changed: true });
    expect(storableText("x\ud800y")).toEqual({ text: "x\\ud800y", changed: true });
    expect(storableText("x\udc00")).toEqual({ text: "x\\udc00", changed: true });
    expect(storableText("\ud83e\udd8a\ud83e")).toEqual({ text: "🦊\\ud83e", changed: true });
  });

  it("leaves nothing unstorable, whatever the input (generated)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), (s) => {
        const { text } = storableText(s);
        expect(unstorableAt(text)).toBe(-1);
        // Valid UTF-8 round trip: what PostgreSQL stores is what was written.
        expect(Buffer.from(text, "utf8").toString("utf8")).toBe(text);
        if (unstorableAt(s) === -1) expect(text).toBe(s);
      }),
      { numRuns: 3_000 },
    );
  });

  it("truncates without leaving half a surrogate pair", () => {
    expect(truncate("ab🦊", 3)).toBe("ab");
    expect(truncate("ab🦊", 4)).toBe("ab🦊");
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 30 }), fc.nat(40), (s, n) => {
        expect(unstorableAt(truncate(s, Math.max(1, n)))).toBe(-1);
      }),
    );
  });

  it("walks JSON keys and values at any depth", () => {
    const r = storableJson({ "k\u0000": ["ok", { deep: "\udfff" }], n: 1, b: null });
    expect(r.changed).toBe(true);
    expect(r.value).toEqual({ "k\\u0000": ["ok", { deep: "\\udfff" }], n: 1, b: null });
    expect(storableJson({ a: ["b", { c: 1 }] }).changed).toBe(false);
  });

  it("names the path of the first unstorable string or key in an input", () => {
    expect(unstorablePath({ name: "ok", attributes: { team: "a\u0000" } })).toBe("attributes.team");
    expect(unstorablePath({ list: ["x", "\ud800"] })).toBe("list.1");
    expect(unstorablePath({ "bad\u0000": 1 })).toBe("bad\\u0000");
    expect(unstorablePath("\u0000")).toBe("_");
    expect(unstorablePath({ fine: ["x", { y: "z" }] })).toBeNull();
  });
});
