import { EditorView } from "@codemirror/view";

// The editor's look in the console's palette (Tailwind's slate, indigo…), light and dark. The
// tokens carry @lezer/highlight's stable classes (tok-keyword, tok-string…), coloured here.
// CodeMirror picks the &light or &dark rules from EditorView.darkTheme, which the editor sets
// from the system's colour scheme, as the console's Tailwind dark: variant does. Styles are
// injected as constructed style sheets, which the console's style-src allows.

// Each colour as [light, dark], side by side so that the two themes stay matched.
const palette = {
  keyword: ["#4338ca", "#a5b4fc"], // indigo-700 / indigo-300
  string: ["#047857", "#6ee7b7"], // emerald
  entityId: ["#0f766e", "#5eead4"], // teal
  type: ["#0369a1", "#7dd3fc"], // sky
  literal: ["#b45309", "#fcd34d"], // amber
  comment: ["#64748b", "#94a3b8"], // slate-500 / slate-400
  meta: ["#a21caf", "#f0abfc"], // fuchsia
  property: ["#1e293b", "#e2e8f0"], // slate-800 / slate-200
  operator: ["#475569", "#cbd5e1"], // slate-600 / slate-300
  gutter: ["#f8fafc", "#0f172a"], // slate-50 / slate-900
  gutterBorder: ["#e2e8f0", "#1e293b"], // slate-200 / slate-800
  gutterText: ["#94a3b8", "#64748b"], // slate-400 / slate-500
  problemLine: ["#fef2f2", "rgb(69 10 10 / 0.5)"], // red-50 / red-950 at half
  problemGutter: ["#fee2e2", "#450a0a"], // red-100 / red-950
  problemText: ["#b91c1c", "#fca5a5"], // red-700 / red-300
  selection: ["#c7d2fe", "#3730a3"], // indigo-200 / indigo-800
  caret: ["#4f46e5", "#818cf8"], // indigo-600 / indigo-400
} as const;

function rules(mode: "light" | "dark") {
  const c = Object.fromEntries(
    Object.entries(palette).map(([name, [light, dark]]) => [name, mode === "light" ? light : dark]),
  ) as Record<keyof typeof palette, string>;
  const scope = `&${mode}`;
  return {
    [`${scope} .tok-keyword`]: { color: c.keyword, fontWeight: "600" },
    [`${scope} .tok-string`]: { color: c.string },
    [`${scope} .tok-string2`]: { color: c.entityId },
    [`${scope} .tok-typeName`]: { color: c.type, fontWeight: "500" },
    [`${scope} .tok-number, ${scope} .tok-bool`]: { color: c.literal },
    [`${scope} .tok-comment`]: { color: c.comment, fontStyle: "italic" },
    [`${scope} .tok-meta`]: { color: c.meta },
    [`${scope} .tok-propertyName`]: { color: c.property },
    [`${scope} .tok-operator, ${scope} .tok-punctuation`]: { color: c.operator },
    [`${scope} .cm-gutters`]: {
      backgroundColor: c.gutter,
      borderRight: `1px solid ${c.gutterBorder}`,
      color: c.gutterText,
    },
    [`${scope} .cm-problemLine`]: { backgroundColor: c.problemLine },
    [`${scope} .cm-problemGutter`]: { backgroundColor: c.problemGutter, color: c.problemText, fontWeight: "600" },
    [`${scope} .cm-content`]: { caretColor: c.caret },
    [`${scope} .cm-cursor`]: { borderLeftColor: c.caret },
    [`${scope} .cm-content ::selection`]: { backgroundColor: c.selection },
  };
}

export const cedarTheme = EditorView.baseTheme({
  "&": { backgroundColor: "transparent", color: "inherit" },
  "&.cm-focused": { outline: "none" },
  ".cm-scroller": { fontFamily: "inherit", lineHeight: "1.5rem", overflow: "auto" },
  ".cm-content": { padding: "0.5rem 0" },
  ".cm-line": { padding: "0 0.75rem" },
  ".cm-gutters": { fontSize: "0.75rem" },
  ".cm-cedarLines .cm-gutterElement": { padding: "0 0.5rem 0 1rem", textAlign: "right", position: "relative" },
  ".cm-problemDot": {
    position: "absolute",
    left: "0.375rem",
    top: "0.5625rem",
    width: "0.375rem",
    height: "0.375rem",
    borderRadius: "9999px",
    backgroundColor: "#ef4444", // red-500
  },
  ".cm-problemMark": {
    textDecoration: "underline wavy #ef4444",
    textDecorationThickness: "2px",
    textUnderlineOffset: "4px",
  },
  ".cm-matchingBracket": { outline: "1px solid #a5b4fc" },
  ".cm-nonmatchingBracket": { outline: "1px solid #f87171" },
  ...rules("light"),
  ...rules("dark"),
});

/** Room to write a few lines in; long policies scroll inside the editor rather than the page. */
export const editableSize = EditorView.theme({
  "&": { maxHeight: "42rem" },
  ".cm-content, .cm-gutter": { minHeight: "12rem" },
});
export const readOnlySize = EditorView.theme({ "&": { maxHeight: "36rem" } });
