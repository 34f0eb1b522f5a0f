import { Badge } from "@/components/ui/badge";
import { type AgentStatus, STATUS_LABELS } from "@/lib/agent-lifecycle";

const TONE = { pending: "amber", active: "green", suspended: "red", retired: "gray" } as const;

export function StatusBadge({ status }: { status: AgentStatus }) {
  return <Badge tone={TONE[status]}>{STATUS_LABELS[status]}</Badge>;
}

export function ReviewBadge({ review }: { review: "none" | "ok" | "due" | "overdue" }) {
  if (review === "due") return <Badge tone="amber">Review due</Badge>;
  if (review === "overdue") return <Badge tone="red">Review overdue</Badge>;
  return null;
}
