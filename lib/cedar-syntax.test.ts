import { ensureSyntaxTree, getIndentation } from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import { classHighlighter, highlightTree } from "@lezer/highlight";
import { describe, expect, it } from "vitest";
import { cedarLanguage } from "./cedar-syntax";

/** The classes the editor would put on each token of the text, as [text, class] pairs. */
function highlighted(text: string): [string, string][] {
  const state = EditorState.create({ doc: text, extensions: cedarLanguage });
  const tree = ensureSyntaxTree(state, text.length, 5000);
  if (!tree) throw new Error("no syntax tree");
  const out: [string, string][] = [];
  highlightTree(tree, classHighlighter, (from, to, classes) => out.push([text.slice(from, to), classes]));
  return out;
}

const classOf = (text: string, token: string) => highlighted(text).find(([t]) => t === token)?.[1];

describe("Cedar highlighting", () => {
  const policy = `@needs_approval
permit (principal is Agent, action == Action::"payments.create", resource)
when { context has amount && context.amount > 1000 } // large
unless { principal in Agent::"a-1" || false };`;

  it("tells keywords, strings, entity references, numbers, comments and annotations apart", () => {
    expect(classOf(policy, "@needs_approval")).toBe("tok-meta");
    for (const keyword of ["permit", "principal", "is", "action", "resource", "when", "context", "has", "unless", "in"])
      expect(classOf(policy, keyword), keyword).toBe("tok-keyword");
    expect(classOf(policy, "Action")).toBe("tok-typeName");
    expect(classOf(policy, '"payments.create"')).toBe("tok-string2");
    expect(classOf(policy, "Agent")).toBe("tok-typeName");
    expect(classOf(policy, '"a-1"')).toBe("tok-string2");
    expect(classOf(policy, "1000")).toBe("tok-number");
    expect(classOf(policy, "// large")).toBe("tok-comment");
    expect(classOf(policy, "false")).toBe("tok-bool");
    expect(classOf(policy, "amount")).toBe("tok-propertyName");
    expect(classOf(policy, "&&")).toBe("tok-operator");
  });

  it("keeps a plain string apart from an entity's id, and escapes inside strings", () => {
    const text = 'when { context.purpose == "say \\"hi\\"" && resource.tenant == Tenant::"acme" }';
    expect(classOf(text, '"say \\"hi\\""')).toBe("tok-string");
    expect(classOf(text, '"acme"')).toBe("tok-string2");
    expect(classOf(text, "Tenant")).toBe("tok-typeName");
  });

  it("colours if/then/else and like, and method calls apart from names", () => {
    const text = 'when { if resource.hasTag("x") then context.recipient like "*@acme.example" else true }';
    for (const keyword of ["if", "then", "like", "else"]) expect(classOf(text, keyword), keyword).toBe("tok-keyword");
    expect(classOf(text, "hasTag")).toBe("tok-propertyName");
    expect(classOf(text, '"*@acme.example"')).toBe("tok-string");
  });

  it("still colours what follows an unterminated string on the next line", () => {
    const tokens = highlighted('permit (principal, action == Action::"email.send\nresource);');
    expect(tokens).toContainEqual(["resource", "tok-keyword"]);
  });

  it("indents inside brackets and outdents a closing one", () => {
    const state = EditorState.create({ doc: "permit (\n\n);", extensions: cedarLanguage });
    expect(getIndentation(state, state.doc.line(2).from)).toBe(2);
    expect(getIndentation(state, state.doc.line(3).from)).toBe(0);
  });
});
