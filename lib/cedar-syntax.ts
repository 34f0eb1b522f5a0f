import { StreamLanguage, type StreamParser } from "@codemirror/language";

// Cedar for the policy editor's highlighting: a line-by-line tokenizer (CodeMirror's stream
// parser) rather than a full grammar, since the server's Cedar validator is the judge of what is
// valid; this only has to colour what is typed, including half-written text. Token names are
// @lezer/highlight tags ("string.special" is an entity's id, as in Action::"email.send").

const KEYWORDS = new Set([
  "permit",
  "forbid",
  "when",
  "unless",
  "principal",
  "action",
  "resource",
  "context",
  "in",
  "has",
  "like",
  "is",
  "if",
  "then",
  "else",
]);

export interface CedarState {
  /** The last token was "::": a string now is an entity's id, a name an entity type's. */
  afterPath: boolean;
  /** The last token was "is": a name now is an entity type. */
  afterIs: boolean;
  /** The last token was "." or "has": a name now is an attribute (or a method). */
  afterDot: boolean;
  /** Open brackets, for indentation. */
  depth: number;
}

export const cedarStreamParser: StreamParser<CedarState> = {
  name: "cedar",
  startState: () => ({ afterPath: false, afterIs: false, afterDot: false, depth: 0 }),
  copyState: (s) => ({ ...s }),
  token(stream, state) {
    if (stream.eatSpace()) return null;
    const { afterPath, afterIs, afterDot } = state;
    state.afterPath = state.afterIs = state.afterDot = false;

    if (stream.match("//")) {
      stream.skipToEnd();
      return "comment";
    }
    if (stream.match(/^@[A-Za-z_]\w*/)) return "meta";
    if (stream.peek() === '"') {
      stream.next();
      let escaped = false;
      for (let ch = stream.next(); ch !== undefined; ch = stream.next()) {
        if (ch === '"' && !escaped) break;
        escaped = !escaped && ch === "\\";
      }
      return afterPath ? "string.special" : "string";
    }
    if (stream.match(/^\d+/)) return "number";
    const word = stream.match(/^[A-Za-z_]\w*/);
    if (word && typeof word !== "boolean") {
      const name = word[0];
      if (afterDot) return "propertyName";
      if (name === "true" || name === "false") return "bool";
      if (KEYWORDS.has(name) && !afterPath) {
        state.afterIs = name === "is";
        state.afterDot = name === "has";
        return "keyword";
      }
      // A name before "::" is a type or namespace (Action::"…", Agent::"…"), as is one after "is".
      if (afterIs || afterPath || stream.match(/^\s*::/, false)) return "typeName";
      if (stream.match(/^\s*\(/, false)) return "variableName.function";
      return "variableName";
    }
    if (stream.match("::")) {
      state.afterPath = true;
      return "punctuation";
    }
    if (stream.match(/^(==|!=|<=|>=|&&|\|\||[<>!+\-*])/)) return "operator";
    const ch = stream.next() ?? "";
    if ("({[".includes(ch)) state.depth++;
    else if (")}]".includes(ch)) state.depth = Math.max(0, state.depth - 1);
    else if (ch === ".") state.afterDot = true;
    return "punctuation";
  },
  indent(state, textAfter, cx) {
    return Math.max(0, state.depth - (/^[)}\]]/.test(textAfter) ? 1 : 0)) * cx.unit;
  },
  languageData: { commentTokens: { line: "//" } },
};

export const cedarLanguage = StreamLanguage.define(cedarStreamParser);
