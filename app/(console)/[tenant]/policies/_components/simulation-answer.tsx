import clsx from "clsx";
import { CircleCheck, CircleX, Hourglass } from "lucide-react";
import { cleanProblem, describeProblem } from "@/lib/policy-problems";
import type { SimulationResult } from "@/server/policies/simulate";

const LOOK = {
  allow: {
    label: "Allow",
    icon: CircleCheck,
    className:
      "bg-emerald-50 text-emerald-900 ring-emerald-200 dark:bg-emerald-950/60 dark:text-emerald-100 dark:ring-emerald-900",
  },
  deny: {
    label: "Deny",
    icon: CircleX,
    className: "bg-red-50 text-red-900 ring-red-200 dark:bg-red-950/60 dark:text-red-100 dark:ring-red-900",
  },
  needs_approval: {
    label: "Needs approval",
    icon: Hourglass,
    className: "bg-amber-50 text-amber-900 ring-amber-200 dark:bg-amber-950/60 dark:text-amber-100 dark:ring-amber-900",
  },
} as const;

/** The simulated decision; `stale` when the draft has changed since it was simulated. */
export function SimulationAnswer({ answer, stale }: { answer: SimulationResult; stale: boolean }) {
  const look = LOOK[answer.decision];
  const Icon = look.icon;
  return (
    <output
      data-testid="simulation-result"
      data-decision={answer.decision}
      data-stale={stale ? "true" : undefined}
      className={clsx("mt-4 block rounded-lg p-4 text-sm ring-1 ring-inset", look.className, stale && "opacity-60")}
    >
      {stale ? (
        <p className="mb-2 text-xs font-medium">The draft has changed since this simulation: simulate again.</p>
      ) : null}
      <p className="flex items-center gap-2 text-base font-semibold">
        <Icon className="size-5" aria-hidden /> {look.label}
      </p>
      <p className="mt-1">{answer.reason}</p>
      {answer.policies.length ? (
        <div className="mt-2">
          <p className="text-xs font-medium uppercase opacity-75">Deciding policies</p>
          <ul className="mt-1 list-inside list-disc">
            {answer.policies.map((name) => (
              <li key={name}>{name}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {answer.problems.length ? (
        <ul className="mt-2 list-inside list-disc">
          {answer.problems.map((p, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: problems have no identity beyond their place
            <li key={i}>{describeProblem(cleanProblem(p))}</li>
          ))}
        </ul>
      ) : null}
    </output>
  );
}
