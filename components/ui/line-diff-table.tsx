import clsx from "clsx";
import type { DiffLine } from "@/lib/line-diff";

/** A line diff as a table: old and new line numbers, the sign, the text; additions and removals coloured. */
export function LineDiffTable({ diff, caption }: { diff: readonly DiffLine[]; caption: string }) {
  return (
    <div className="overflow-x-auto rounded-md ring-1 ring-slate-200 dark:ring-slate-800">
      <table className="w-full font-mono text-xs leading-5">
        <caption className="sr-only">{caption}</caption>
        <tbody>
          {diff.map((line, i) => (
            <tr
              // biome-ignore lint/suspicious/noArrayIndexKey: a diff row is its place in the diff
              key={i}
              data-kind={line.kind}
              className={clsx(
                line.kind === "added" && "bg-emerald-50 text-emerald-900 dark:bg-emerald-950/50 dark:text-emerald-200",
                line.kind === "removed" && "bg-red-50 text-red-900 dark:bg-red-950/50 dark:text-red-200",
              )}
            >
              <td className="w-8 px-2 text-right text-slate-600 select-none dark:text-slate-400">
                {line.kind === "added" ? "" : line.oldLine}
              </td>
              <td className="w-8 px-2 text-right text-slate-600 select-none dark:text-slate-400">
                {line.kind === "removed" ? "" : line.newLine}
              </td>
              <td className="w-4 select-none" aria-label={line.kind === "same" ? undefined : line.kind}>
                {line.kind === "added" ? "+" : line.kind === "removed" ? "−" : ""}
              </td>
              <td className="pr-3 whitespace-pre">{line.text || " "}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
