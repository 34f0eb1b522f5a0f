"use client";

import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { bracketMatching, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { Annotation, Compartment, EditorState } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";
import { classHighlighter } from "@lezer/highlight";
import clsx from "clsx";
import { type ReactNode, useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore } from "react";
import { cedarLanguage } from "@/lib/cedar-syntax";
import { describeProblem, type Problem } from "@/lib/policy-problems";
import { placeProblem, problemMarks, setProblems } from "./cedar-problems";
import { cedarTheme, editableSize, readOnlySize } from "./cedar-theme";

// The Cedar editor: CodeMirror 6 with Cedar highlighting, wrapped lines, line numbers that mark
// the lines with problems, and the problem list underneath, whose entries take the caret to
// their place. The text is the parent's state: typing reports it, and a new value from outside
// (a saved or rolled-back version) replaces the document.

/** Marks the transactions that bring the parent's value in, so they are not reported back. */
const fromParent = Annotation.define<boolean>();

const DARK = "(prefers-color-scheme: dark)";
function subscribeToScheme(onChange: () => void) {
  const query = window.matchMedia(DARK);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}
/** Whether the console is dark: its Tailwind dark: variant follows the system's scheme too. */
function usePrefersDark(): boolean {
  return useSyncExternalStore(
    subscribeToScheme,
    () => window.matchMedia(DARK).matches,
    () => false,
  );
}

interface Settings {
  id: string;
  labelId: string;
  describedBy: string | undefined;
  invalid: boolean;
  readOnly: boolean;
  dark: boolean;
}

/** What changes after the editor is made: its accessible attributes, read-only, the theme. */
function settings(s: Settings) {
  return [
    EditorView.darkTheme.of(s.dark),
    EditorState.readOnly.of(s.readOnly),
    s.readOnly ? readOnlySize : editableSize,
    EditorView.contentAttributes.of({
      id: s.id,
      "aria-labelledby": s.labelId,
      ...(s.describedBy ? { "aria-describedby": s.describedBy } : {}),
      ...(s.invalid ? { "aria-invalid": "true" } : {}),
      ...(s.readOnly ? { "aria-readonly": "true" } : {}),
    }),
  ];
}

export function CedarEditor({
  id,
  label,
  value,
  onChange,
  problems,
  readOnly = false,
  status,
  hint,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (text: string) => void;
  problems: Problem[];
  readOnly?: boolean;
  status?: ReactNode;
  hint?: ReactNode;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const [dynamic] = useState(() => new Compartment());
  const [ready, setReady] = useState(false);
  const dark = usePrefersDark();
  const labelId = `${id}-label`;
  const problemsId = `${id}-problems`;
  const hintId = `${id}-hint`;
  const describedBy = [problems.length ? problemsId : null, hint ? hintId : null].filter(Boolean).join(" ");
  const current: Settings = {
    id,
    labelId,
    describedBy: describedBy || undefined,
    invalid: problems.length > 0,
    readOnly,
    dark,
  };

  const latest = useRef({ onChange, value, current });
  useLayoutEffect(() => {
    latest.current = { onChange, value, current };
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: made once; later values come in below
  useEffect(() => {
    if (!host.current) return;
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: latest.current.value,
        extensions: [
          history(),
          keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
          indentUnit.of("  "),
          EditorState.tabSize.of(2),
          cedarLanguage,
          syntaxHighlighting(classHighlighter),
          bracketMatching(),
          EditorView.lineWrapping,
          problemMarks,
          cedarTheme,
          dynamic.of(settings(latest.current.current)),
          EditorView.updateListener.of((update) => {
            if (update.docChanged && !update.transactions.some((tr) => tr.annotation(fromParent)))
              latest.current.onChange(update.state.doc.toString());
          }),
        ],
      }),
    });
    editor.dom.querySelector(".cm-cedarLines")?.setAttribute("data-testid", "cedar-gutter");
    view.current = editor;
    setReady(true);
    return () => {
      editor.destroy();
      view.current = null;
    };
  }, []);

  useEffect(() => {
    const editor = view.current;
    const doc = editor?.state.doc.toString();
    if (!editor || doc === value) return;
    editor.dispatch({ changes: { from: 0, to: doc?.length, insert: value }, annotations: fromParent.of(true) });
  }, [value]);

  // By content: a check that finds the same problems again is no change.
  const problemsKey = JSON.stringify(problems);
  // biome-ignore lint/correctness/useExhaustiveDependencies: problemsKey stands for problems
  useEffect(() => {
    view.current?.dispatch({ effects: setProblems.of(problems) });
  }, [problemsKey]);

  const { describedBy: described, invalid } = current;
  // Listed in the order of the text (Cedar reports them in its own), those without a place last.
  const listed = [...problems].sort(
    (a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0),
  );
  useEffect(() => {
    view.current?.dispatch({
      effects: dynamic.reconfigure(settings({ id, labelId, describedBy: described, invalid, readOnly, dark })),
    });
  }, [dynamic, id, labelId, described, invalid, readOnly, dark]);

  function jumpTo(p: Problem) {
    const editor = view.current;
    const at = editor && placeProblem(editor.state.doc, p);
    if (!editor || !at) return;
    editor.focus();
    editor.dispatch({
      selection: { anchor: at.from, head: at.to },
      effects: EditorView.scrollIntoView(at.from, { y: "center" }),
    });
  }

  return (
    <div>
      <div className="mb-1 flex flex-wrap items-end justify-between gap-2">
        <span id={labelId} className="block text-sm font-medium text-slate-700 dark:text-slate-300">
          {label}
        </span>
        {status}
      </div>
      <div
        className={clsx(
          "relative overflow-hidden rounded-md font-mono text-sm text-slate-900 shadow-xs dark:text-slate-100",
          readOnly ? "bg-slate-50 dark:bg-slate-900/60" : "bg-white dark:bg-slate-950",
          // The frame is drawn above the editor, so that tinted lines do not cover it.
          "after:pointer-events-none after:absolute after:inset-0 after:rounded-md after:ring-1 after:ring-inset focus-within:after:ring-2",
          problems.length
            ? "after:ring-red-300 focus-within:after:ring-red-500 dark:after:ring-red-900"
            : "after:ring-slate-300 focus-within:after:ring-indigo-600 dark:after:ring-slate-700",
        )}
      >
        <div ref={host} />
        {ready ? null : (
          // Until the editor starts, the text as it will show, so the page does not jump.
          <pre className={clsx("py-2 pr-3 pl-13 leading-6 break-words whitespace-pre-wrap", !readOnly && "min-h-48")}>
            {value}
          </pre>
        )}
      </div>
      {hint ? (
        <p id={hintId} className="mt-1 text-xs text-muted">
          {hint}
        </p>
      ) : null}
      {problems.length ? (
        <ul
          id={problemsId}
          aria-label="Problems"
          className="mt-2 space-y-1 rounded-md bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950/60 dark:text-red-200"
        >
          {listed.map((p, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: problems have no identity beyond their place
            <li key={i}>
              {p.line ? (
                <button
                  type="button"
                  onClick={() => jumpTo(p)}
                  className="rounded-sm text-left hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-600"
                >
                  {describeProblem(p)}
                </button>
              ) : (
                describeProblem(p)
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
