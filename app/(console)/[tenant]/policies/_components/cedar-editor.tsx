"use client";

import clsx from "clsx";
import { type KeyboardEvent, type ReactNode, useRef } from "react";
import { describeProblem, type Problem } from "@/lib/policy-problems";

// A monospace textarea for Cedar with a line-number gutter. Lines with problems are tinted and
// their numbers turn red; the token at a problem's column gets a wavy underline, drawn by a
// backdrop behind the (transparent) textarea that scrolls with it. The problem list underneath
// is the accessible account of the same, and each entry moves the caret to its place.

const LINE_PX = 24; // leading-6

function offsetOf(text: string, line: number, column: number): number {
  const lines = text.split("\n");
  let offset = 0;
  for (let i = 0; i < Math.min(line - 1, lines.length); i++) offset += lines[i].length + 1;
  return offset + Math.max(0, column - 1);
}

function tokenAt(lineText: string, column: number): number {
  const match = /^[\w.:"`$-]+/.exec(lineText.slice(column - 1));
  return match ? match[0].length : 1;
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
  const textarea = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const backdrop = useRef<HTMLDivElement>(null);
  const escaped = useRef(false);
  const lines = value.split("\n");
  const byLine = new Map<number, Problem[]>();
  for (const p of problems) if (p.line) byLine.set(p.line, [...(byLine.get(p.line) ?? []), p]);
  const rows = readOnly ? Math.max(3, lines.length) : Math.min(28, Math.max(8, lines.length + 1));
  const problemsId = `${id}-problems`;

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    // Tab indents; Escape first lets Tab leave the editor, so the keyboard is never trapped.
    if (e.key === "Escape") {
      escaped.current = true;
      return;
    }
    if (e.key === "Tab" && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey && !escaped.current && !readOnly) {
      e.preventDefault();
      const el = e.currentTarget;
      el.setRangeText("  ", el.selectionStart, el.selectionEnd, "end");
      onChange(el.value);
    }
    escaped.current = false;
  }

  function syncScroll() {
    const el = textarea.current;
    if (!el) return;
    if (gutter.current) gutter.current.style.transform = `translateY(${-el.scrollTop}px)`;
    if (backdrop.current) backdrop.current.style.transform = `translate(${-el.scrollLeft}px, ${-el.scrollTop}px)`;
  }

  function jumpTo(p: Problem) {
    const el = textarea.current;
    if (!el || !p.line) return;
    const start = offsetOf(value, p.line, p.column ?? 1);
    el.focus();
    el.setSelectionRange(start, start + (p.column ? tokenAt(lines[p.line - 1] ?? "", p.column) : 0));
    el.scrollTop = Math.max(0, (p.line - 3) * LINE_PX);
    syncScroll();
  }

  return (
    <div>
      <div className="mb-1 flex flex-wrap items-end justify-between gap-2">
        <label htmlFor={id} className="block text-sm font-medium text-slate-700 dark:text-slate-300">
          {label}
        </label>
        {status}
      </div>
      <div
        className={clsx(
          "flex overflow-hidden rounded-md font-mono text-sm shadow-xs ring-1 ring-inset focus-within:ring-2",
          readOnly ? "bg-slate-50 dark:bg-slate-900/60" : "bg-white dark:bg-slate-950",
          problems.length
            ? "ring-red-300 focus-within:ring-red-500 dark:ring-red-900"
            : "ring-slate-300 focus-within:ring-indigo-600 dark:ring-slate-700",
        )}
      >
        <div
          aria-hidden
          className="w-11 shrink-0 overflow-hidden border-r border-slate-200 bg-slate-50 py-2 text-right text-xs text-slate-400 select-none dark:border-slate-800 dark:bg-slate-900 dark:text-slate-500"
        >
          <div ref={gutter} data-testid="cedar-gutter">
            {lines.map((_, i) => {
              const here = byLine.get(i + 1);
              return (
                <div
                  // biome-ignore lint/suspicious/noArrayIndexKey: a gutter row is its line number
                  key={i}
                  data-line={i + 1}
                  data-error={here ? "true" : undefined}
                  title={here?.map(describeProblem).join("\n")}
                  className={clsx(
                    "h-6 pr-2 leading-6",
                    here && "bg-red-100 font-semibold text-red-700 dark:bg-red-950 dark:text-red-300",
                  )}
                >
                  {here ? <span className="mr-1 inline-block size-1.5 rounded-full bg-red-500 align-middle" /> : null}
                  {i + 1}
                </div>
              );
            })}
          </div>
        </div>
        <div className="relative min-w-0 flex-1">
          <div aria-hidden className="pointer-events-none absolute inset-0 overflow-hidden py-2">
            <div ref={backdrop} className="w-max min-w-full text-transparent">
              {lines.map((text, i) => {
                const here = byLine.get(i + 1);
                const col = here?.find((p) => p.column)?.column;
                return (
                  <div
                    // biome-ignore lint/suspicious/noArrayIndexKey: a backdrop row is its line number
                    key={i}
                    className={clsx("h-6 px-3 leading-6 whitespace-pre", here && "bg-red-50 dark:bg-red-950/50")}
                  >
                    {col ? (
                      <>
                        {text.slice(0, col - 1)}
                        <span className="underline decoration-red-500 decoration-wavy decoration-2 underline-offset-4">
                          {text.slice(col - 1, col - 1 + tokenAt(text, col)) || " "}
                        </span>
                        {text.slice(col - 1 + tokenAt(text, col))}
                      </>
                    ) : (
                      text
                    )}
                  </div>
                );
              })}
            </div>
          </div>
          <textarea
            ref={textarea}
            id={id}
            value={value}
            onChange={(e) => onChange(e.target.value)}
            onKeyDown={onKeyDown}
            onScroll={syncScroll}
            readOnly={readOnly}
            rows={rows}
            wrap="off"
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            autoCorrect="off"
            aria-invalid={problems.length ? true : undefined}
            aria-describedby={problems.length ? problemsId : undefined}
            className="relative block w-full resize-y bg-transparent px-3 py-2 leading-6 whitespace-pre text-slate-900 caret-indigo-600 focus:outline-none dark:text-slate-100"
          />
        </div>
      </div>
      {hint ? <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">{hint}</p> : null}
      {problems.length ? (
        <ul
          id={problemsId}
          aria-label="Problems"
          className="mt-2 space-y-1 rounded-md bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950/60 dark:text-red-200"
        >
          {problems.map((p, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: problems have no identity beyond their place
            <li key={i}>
              {p.line ? (
                <button type="button" onClick={() => jumpTo(p)} className="text-left hover:underline">
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
