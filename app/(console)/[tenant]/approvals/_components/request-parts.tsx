import Link from "next/link";
import { formatRelative } from "@/lib/durations";
import { formatUtc } from "@/lib/format";
import type { ApprovalItem } from "../_lib/load-approvals";

// The pieces of an approval request both tabs show: who asks, for what, and for whom.

export function AgentName({ agent, href }: { agent: ApprovalItem["agent"]; href: string | null }) {
  return href ? (
    <Link href={href} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
      {agent.name}
    </Link>
  ) : (
    <span className="font-medium">{agent.name}</span>
  );
}

export function ActionCode({ action }: { action: string }) {
  return (
    <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800 dark:bg-slate-800 dark:text-slate-200">
      {action}
    </code>
  );
}

export function Attributes({ attributes }: { attributes: ApprovalItem["resource"]["attributes"] }) {
  const entries = Object.entries(attributes);
  if (!entries.length) return null;
  return (
    <ul className="mt-1 flex flex-wrap gap-1">
      {entries.map(([k, v]) => (
        <li key={k} className="rounded bg-slate-100 px-1.5 py-0.5 text-xs dark:bg-slate-800">
          <span className="text-slate-600 dark:text-slate-400">{k}</span> {String(v)}
        </li>
      ))}
    </ul>
  );
}

export function OnBehalfOf({ who }: { who: ApprovalItem["onBehalfOf"] }) {
  if (!who) return <span className="text-muted">No one: the agent acts on its own</span>;
  if ("id" in who) return <code className="font-mono text-xs">user {who.id}</code>;
  return (
    <>
      {who.name} <span className="text-muted">({who.email})</span>
    </>
  );
}

/** "2 hours ago" ("just now" within 10 seconds), with the exact UTC time on hover. */
export function When({ at, now, prefix }: { at: Date; now: Date; prefix?: string }) {
  const recent = Math.abs(at.getTime() - now.getTime()) < 10_000;
  return (
    <time dateTime={at.toISOString()} title={formatUtc(at)}>
      {prefix ? `${prefix} ` : ""}
      {recent ? "just now" : formatRelative(at, now)}
    </time>
  );
}
