import { Badge } from "@/components/ui/badge";

// The facts a policy row and its page show at a glance: where it applies, what it does, whether it is on.

export function ScopeBadge({ tenantName }: { tenantName: string | null }) {
  return (
    <span className="whitespace-nowrap">
      {tenantName === null ? <Badge tone="indigo">Global</Badge> : <Badge>{tenantName}</Badge>}
    </span>
  );
}

export function EffectBadge({ effect }: { effect: string }) {
  return (
    <span className="whitespace-nowrap">
      <Badge tone={effect === "forbid" ? "red" : "green"}>{effect}</Badge>
    </span>
  );
}

export function ApprovalBadge({ requiresApproval }: { requiresApproval: boolean }) {
  return requiresApproval ? (
    <span className="whitespace-nowrap">
      <Badge tone="amber">needs approval</Badge>
    </span>
  ) : null;
}

export function EnabledBadge({ enabled }: { enabled: boolean }) {
  return enabled ? (
    <span className="inline-flex items-center gap-1.5 text-sm text-slate-700 dark:text-slate-300">
      <span className="size-2 rounded-full bg-emerald-500" aria-hidden />
      Enabled
    </span>
  ) : (
    <Badge>Disabled</Badge>
  );
}

/** The actions a policy names, or that it applies to any action. */
export function ActionList({ actions }: { actions: readonly string[] }) {
  if (actions.length === 0) return <span className="text-muted italic">any action</span>;
  return (
    <span className="flex max-w-64 min-w-40 flex-wrap gap-1">
      {actions.map((a) => (
        <code key={a} className="rounded bg-slate-100 px-1.5 py-0.5 text-xs dark:bg-slate-800">
          {a}
        </code>
      ))}
    </span>
  );
}
