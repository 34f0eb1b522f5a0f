// The agent lifecycle: pending → active ⇄ suspended → retired. Retired is final.

export const AGENT_STATUSES = ["pending", "active", "suspended", "retired"] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

export const TRANSITIONS = {
  activate: { from: ["pending"], to: "active", done: "activated" },
  suspend: { from: ["active"], to: "suspended", done: "suspended" },
  resume: { from: ["suspended"], to: "active", done: "resumed" },
  retire: { from: ["pending", "active", "suspended"], to: "retired", done: "retired" },
} as const satisfies Record<string, { from: readonly AgentStatus[]; to: AgentStatus; done: string }>;
export type Transition = keyof typeof TRANSITIONS;
export const TRANSITION_NAMES = Object.keys(TRANSITIONS) as Transition[];

export function canTransition(status: AgentStatus, transition: Transition): boolean {
  return (TRANSITIONS[transition].from as readonly AgentStatus[]).includes(status);
}

export const RETIRED_MESSAGE = "This agent is retired; retirement is final.";

export function transitionError(status: AgentStatus, transition: Transition): string {
  if (status === "retired") return RETIRED_MESSAGE;
  const from = TRANSITIONS[transition].from.join(" or ");
  return `Cannot ${transition} an agent that is ${status}: only ${from === "active" ? "an" : "a"} ${from} agent can be ${TRANSITIONS[transition].done}.`;
}

export const STATUS_LABELS: Record<AgentStatus, string> = {
  pending: "Pending",
  active: "Active",
  suspended: "Suspended",
  retired: "Retired",
};

/** "Review due" shows this many days ahead of the review date. */
export const REVIEW_DUE_WINDOW_DAYS = 14;

export function reviewState(reviewDueAt: Date | null, now = new Date()): "none" | "ok" | "due" | "overdue" {
  if (!reviewDueAt) return "none";
  const ms = reviewDueAt.getTime() - now.getTime();
  if (ms <= 0) return "overdue";
  return ms <= REVIEW_DUE_WINDOW_DAYS * 86_400_000 ? "due" : "ok";
}
