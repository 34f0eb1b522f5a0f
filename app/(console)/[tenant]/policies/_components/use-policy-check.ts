"use client";

import { useEffect, useRef, useState } from "react";
import { cleanProblem, type PolicyCheck, type Problem } from "@/lib/policy-problems";
import { validatePolicyAction } from "../actions";

export type CheckState =
  | { status: "idle" }
  | { status: "checking"; last: PolicyCheck | null }
  | { status: "checked"; check: PolicyCheck }
  | { status: "failed"; error: string };

const DEBOUNCE_MS = 300;

/**
 * Validates the draft against Mandate's Cedar schema as it is typed: once typing pauses, and only
 * the answer for the latest text is kept (an earlier, slower answer never overwrites it).
 */
export function usePolicyCheck(text: string, enabled: boolean): CheckState {
  const [state, setState] = useState<CheckState>({ status: "idle" });
  const latest = useRef(0);

  useEffect(() => {
    if (!enabled) return;
    const request = ++latest.current;
    setState((s) => ({
      status: "checking",
      last: s.status === "checked" ? s.check : s.status === "checking" ? s.last : null,
    }));
    const timer = setTimeout(async () => {
      const result = await validatePolicyAction(text);
      if (request !== latest.current) return;
      if (result.ok) {
        setState({ status: "checked", check: { ...result.data, problems: result.data.problems.map(cleanProblem) } });
      } else if (result.fieldErrors?.text) {
        // Too long to check: said on the text field, like any other problem.
        const problems: Problem[] = result.fieldErrors.text.map((message) => ({
          message,
          help: null,
          line: null,
          column: null,
        }));
        setState({
          status: "checked",
          check: { ok: false, problems, effect: null, actions: [], requiresApproval: false },
        });
      } else setState({ status: "failed", error: result.error });
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, enabled]);

  return state;
}

/** The problems to mark while a new check runs: the last answer's, so the markers do not flicker. */
export function problemsOf(state: CheckState): Problem[] {
  if (state.status === "checked") return state.check.problems;
  if (state.status === "checking") return state.last?.problems ?? [];
  return [];
}
