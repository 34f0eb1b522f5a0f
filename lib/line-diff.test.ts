import { describe, expect, it } from "vitest";
import { type DiffLine, diffLines, diffStats } from "./line-diff";

const show = (diff: DiffLine[]) =>
  diff.map((l) => `${l.kind === "same" ? " " : l.kind === "added" ? "+" : "-"}${l.text}`);

describe("line diff", () => {
  it("keeps identical texts as they are, numbering lines on both sides", () => {
    const diff = diffLines("a\nb", "a\nb");
    expect(diff).toEqual([
      { kind: "same", text: "a", oldLine: 1, newLine: 1 },
      { kind: "same", text: "b", oldLine: 2, newLine: 2 },
    ]);
    expect(diffStats(diff)).toEqual({ added: 0, removed: 0 });
  });

  it("shows a changed line as removed, then added, between the kept ones", () => {
    const before = "permit (principal, action, resource)\nwhen { context.amount < 100 };\n// end";
    const after = "permit (principal, action, resource)\nwhen { context.amount < 500 };\n// end";
    const diff = diffLines(before, after);
    expect(show(diff)).toEqual([
      " permit (principal, action, resource)",
      "-when { context.amount < 100 };",
      "+when { context.amount < 500 };",
      " // end",
    ]);
    expect(diff[1]).toMatchObject({ kind: "removed", oldLine: 2 });
    expect(diff[2]).toMatchObject({ kind: "added", newLine: 2 });
    expect(diff[3]).toMatchObject({ oldLine: 3, newLine: 3 });
  });

  it("finds inserted and deleted lines in the middle without marking the lines around them", () => {
    const diff = diffLines("a\nb\nc\nd\ne", "a\nc\nd\nx\ne");
    expect(show(diff)).toEqual([" a", "-b", " c", " d", "+x", " e"]);
    expect(diffStats(diff)).toEqual({ added: 1, removed: 1 });
    // Line numbers keep counting on each side past the change.
    expect(diff.at(-1)).toEqual({ kind: "same", text: "e", oldLine: 5, newLine: 5 });
    expect(diff[4]).toEqual({ kind: "added", text: "x", newLine: 4 });
  });

  it("treats an empty text as no lines, and CRLF like LF", () => {
    expect(show(diffLines("", "a\nb"))).toEqual(["+a", "+b"]);
    expect(show(diffLines("a\nb", ""))).toEqual(["-a", "-b"]);
    expect(diffLines("a\r\nb", "a\nb").every((l) => l.kind === "same")).toBe(true);
  });

  it("keeps repeated lines apart: only the one extra copy is added", () => {
    const diff = diffLines("x\n}\n}", "x\n}\n}\n}");
    expect(diffStats(diff)).toEqual({ added: 1, removed: 0 });
  });
});
