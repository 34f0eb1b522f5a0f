import { type EditorState, StateEffect, StateField, type Text } from "@codemirror/state";
import { Decoration, EditorView, GutterMarker, gutter } from "@codemirror/view";
import { describeProblem, type Problem } from "@/lib/policy-problems";

// The live check's problems inside the CodeMirror editor: each one's line is tinted, the token at
// its column gets a wavy underline, and the line-number gutter marks the line (a dot, a red
// number, the problem as its title). The problem list under the editor is the accessible account
// of the same. Marks move with the text while the next check runs, so they do not jump or flicker.

/** Replaces the problems shown (the latest check's answer). */
export const setProblems = StateEffect.define<readonly Problem[]>();

interface Placed {
  from: number;
  to: number;
  text: string;
}

/** Where a problem sits in the text: Cedar names a line and a column; the mark covers the token there. */
export function placeProblem(doc: Text, p: Problem): { from: number; to: number } | null {
  if (!p.line) return null;
  const line = doc.line(Math.min(Math.max(1, p.line), doc.lines));
  if (!p.column) return { from: line.from, to: line.from };
  const from = Math.min(line.from + p.column - 1, line.to);
  const token = /^[\w.:"`$-]+/.exec(line.text.slice(from - line.from));
  return { from, to: from + (token ? token[0].length : Math.min(1, line.to - from)) };
}

const problemLine = Decoration.line({ class: "cm-problemLine" });
const problemMark = Decoration.mark({ class: "cm-problemMark" });

function decorate(state: EditorState, placed: readonly Placed[]) {
  const ranges = placed.flatMap((p) => {
    const line = problemLine.range(state.doc.lineAt(p.from).from);
    return p.to > p.from ? [line, problemMark.range(p.from, p.to)] : [line];
  });
  return Decoration.set(ranges, true);
}

const problemField = StateField.define<{ placed: readonly Placed[]; decorations: ReturnType<typeof decorate> }>({
  create: () => ({ placed: [], decorations: Decoration.none }),
  update(value, tr) {
    for (const effect of tr.effects) {
      if (!effect.is(setProblems)) continue;
      const placed = effect.value.flatMap((p) => {
        const at = placeProblem(tr.state.doc, p);
        return at ? [{ ...at, text: describeProblem(p) }] : [];
      });
      return { placed, decorations: decorate(tr.state, placed) };
    }
    if (!tr.docChanged) return value;
    const placed = value.placed.map((p) => {
      const from = tr.changes.mapPos(p.from, 1);
      return { ...p, from, to: Math.max(from, tr.changes.mapPos(p.to, -1)) };
    });
    return { placed, decorations: decorate(tr.state, placed) };
  },
  provide: (field) => EditorView.decorations.from(field, (value) => value.decorations),
});

/** A line number, marked when its line has problems. data-line and data-error are for tests. */
class LineNumber extends GutterMarker {
  constructor(
    readonly line: number,
    readonly problems: readonly string[],
  ) {
    super();
    this.elementClass = problems.length ? "cm-problemGutter" : "";
  }

  eq(other: LineNumber) {
    return other.line === this.line && other.problems.join("\n") === this.problems.join("\n");
  }

  toDOM() {
    const el = document.createElement("div");
    el.dataset.line = String(this.line);
    if (this.problems.length) {
      el.dataset.error = "true";
      el.title = this.problems.join("\n");
      const dot = document.createElement("span");
      dot.className = "cm-problemDot";
      el.append(dot);
    }
    el.append(String(this.line));
    return el;
  }
}

const lineNumbers = gutter({
  class: "cm-cedarLines",
  lineMarker(view, block) {
    const line = view.state.doc.lineAt(block.from);
    const here = view.state.field(problemField).placed.filter((p) => p.from >= line.from && p.from <= line.to);
    return new LineNumber(
      line.number,
      here.map((p) => p.text),
    );
  },
  lineMarkerChange: (update) => update.startState.field(problemField) !== update.state.field(problemField),
  initialSpacer: (view) => new LineNumber(Math.max(99, view.state.doc.lines), []),
  updateSpacer: (spacer, update) =>
    String(update.state.doc.lines).length > String((spacer as LineNumber).line).length
      ? new LineNumber(update.state.doc.lines, [])
      : spacer,
});

/** The problems' marks and the line-number gutter that shows them. */
export const problemMarks = [problemField, lineNumbers];
