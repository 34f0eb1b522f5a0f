import { LineDiffTable } from "@/components/ui/line-diff-table";
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
      <LineDiffTable
        diff={diff}
        caption={`Changes to the policy text from version ${before.version} to ${after.version}`}
      />
    </div>
  );
}
