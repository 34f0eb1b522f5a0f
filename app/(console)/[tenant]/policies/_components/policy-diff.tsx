import clsx from "clsx";
import { diffLines, diffStats } from "@/lib/line-diff";

export interface VersionSnapshot {
  version: number;
  name: string;
  description: string;
  text: string;
  enabled: boolean;
}

/** What changed from one version to the next: its fields, then its text line by line. */
export function PolicyDiff({ before, after }: { before: VersionSnapshot; after: VersionSnapshot }) {
  const diff = diffLines(before.text, after.text);
  const stats = diffStats(diff);
  const fields = [
    before.name !== after.name ? `Name: “${before.name}” → “${after.name}”` : null,
    before.description !== after.description ? "Description changed" : null,
    before.enabled !== after.enabled ? (after.enabled ? "Enabled" : "Disabled") : null,
  ].filter((f) => f !== null);
  return (
    <div data-testid="policy-diff" className="mt-3 space-y-2">
      <p className="text-xs text-slate-600 dark:text-slate-400">
        Version {before.version} → {after.version}:{" "}
        <span className="text-emerald-700 dark:text-emerald-400">+{stats.added}</span>{" "}
        <span className="text-red-700 dark:text-red-400">−{stats.removed}</span> lines
        {fields.length ? ` · ${fields.join(" · ")}` : ""}
      </p>
      <div className="overflow-x-auto rounded-md ring-1 ring-slate-200 dark:ring-slate-800">
        <table className="w-full font-mono text-xs leading-5">
          <caption className="sr-only">
            Changes to the policy text from version {before.version} to {after.version}
          </caption>
          <tbody>
            {diff.map((line, i) => (
              <tr
                // biome-ignore lint/suspicious/noArrayIndexKey: a diff row is its place in the diff
                key={i}
                data-kind={line.kind}
                className={clsx(
                  line.kind === "added" &&
                    "bg-emerald-50 text-emerald-900 dark:bg-emerald-950/50 dark:text-emerald-200",
                  line.kind === "removed" && "bg-red-50 text-red-900 dark:bg-red-950/50 dark:text-red-200",
                )}
              >
                <td className="w-8 px-2 text-right text-slate-400 select-none">
                  {line.kind === "added" ? "" : line.oldLine}
                </td>
                <td className="w-8 px-2 text-right text-slate-400 select-none">
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
    </div>
  );
}
