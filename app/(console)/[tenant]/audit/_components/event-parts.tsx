import { Bot, CircleHelp, Cog, KeyRound, type LucideIcon, UserRound } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import type { AuditEventRow } from "@/server/audit-log/events";

// How an event's parts read, in the table and on the event's page: who acted, on what, and how
// it ended, by name where there is one and by a short id where there is not.

const OUTCOME_TONE = { success: "green", failure: "red", denied: "amber" } as const;

export function Outcome({ outcome }: { outcome: string }) {
  return <Badge tone={OUTCOME_TONE[outcome as keyof typeof OUTCOME_TONE] ?? "gray"}>{outcome}</Badge>;
}

export const ACTOR_TYPES: Record<string, { label: string; icon: LucideIcon }> = {
  user: { label: "Person", icon: UserRound },
  agent: { label: "Agent", icon: Bot },
  client: { label: "Automation client", icon: KeyRound },
  system: { label: "System", icon: Cog },
  anonymous: { label: "Unidentified caller", icon: CircleHelp },
};

const TARGET_TYPES: Record<string, string> = {
  user: "Person",
  automation_client: "Client",
  audit_log: "Audit log",
  audit_segment: "Audit segment",
  rate_limit: "Rate limit",
};

/** "Agent", "Person", "Grant"… for a target type. */
export function targetTypeLabel(type: string): string {
  if (Object.hasOwn(TARGET_TYPES, type)) return TARGET_TYPES[type];
  const words = type.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The first characters of an id, enough to tell two apart on screen. */
export const shortId = (id: string) => (id.length > 12 ? `${id.slice(0, 8)}…` : id);

/** The actor by name, with what kind of actor it is as an icon (and words for screen readers). */
export function ActorName({ actor }: { actor: AuditEventRow["actor"] }) {
  const kind = ACTOR_TYPES[actor.type] ?? ACTOR_TYPES.anonymous;
  const Icon = kind.icon;
  const name = actor.name ?? actor.label ?? (actor.id ? shortId(actor.id) : kind.label);
  const detail = actor.label && actor.label !== name ? actor.label : undefined;
  return (
    <span className="inline-flex max-w-full min-w-0 items-center gap-1.5" title={detail}>
      <Icon className="size-3.5 shrink-0 text-slate-400" aria-hidden />
      <span className="sr-only">{kind.label}: </span>
      <span className="truncate">{name}</span>
    </span>
  );
}

/** The target by name (its kind first), or by a short id when it has no name. */
export function TargetName({ target }: { target: AuditEventRow["target"] }) {
  if (!target.type) return <span className="text-muted">—</span>;
  return (
    <span className="inline-flex max-w-full min-w-0 items-baseline gap-1.5">
      <span className="shrink-0 text-xs text-muted">{targetTypeLabel(target.type)}</span>
      {target.name ? (
        <span className="truncate">{target.name}</span>
      ) : target.id ? (
        <code className="truncate text-xs text-slate-600 dark:text-slate-300" title={target.id}>
          {shortId(target.id)}
        </code>
      ) : null}
    </span>
  );
}
