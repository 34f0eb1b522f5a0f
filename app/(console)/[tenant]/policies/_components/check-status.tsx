import clsx from "clsx";
import { CircleCheck, CircleX, LoaderCircle } from "lucide-react";
import type { ReactNode } from "react";
import type { CheckState } from "./use-policy-check";

/** The editor's verdict on the draft: checking, valid (with what it does), or how many problems. */
export function CheckStatus({ state }: { state: CheckState }) {
  const base = "inline-flex items-center gap-1.5 text-xs font-medium";
  let body: ReactNode = null;
  if (state.status === "checking" || state.status === "idle") {
    body = (
      <span className={clsx(base, "text-muted")}>
        <LoaderCircle className="size-3.5 animate-spin" aria-hidden /> Checking…
      </span>
    );
  } else if (state.status === "failed") {
    body = <span className={clsx(base, "text-red-700 dark:text-red-400")}>{state.error}</span>;
  } else if (state.check.ok) {
    const { effect, actions, requiresApproval } = state.check;
    body = (
      <span className={clsx(base, "text-emerald-700 dark:text-emerald-400")}>
        <CircleCheck className="size-3.5" aria-hidden /> Valid
        <span className="font-normal text-muted">
          · {effect} · {actions.length ? actions.join(", ") : "any action"}
          {requiresApproval ? " · needs approval" : ""}
        </span>
      </span>
    );
  } else {
    const n = state.check.problems.length;
    body = (
      <span className={clsx(base, "text-red-700 dark:text-red-400")}>
        <CircleX className="size-3.5" aria-hidden /> {n} {n === 1 ? "problem" : "problems"}
      </span>
    );
  }
  return (
    <p role="status" data-testid="cedar-status" className="m-0">
      {body}
    </p>
  );
}
