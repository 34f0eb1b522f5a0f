// Cedar's problems as the editor shows them. Client-safe: no server imports.

export interface Problem {
  message: string;
  help: string | null;
  line: number | null;
  column: number | null;
}

/** What the validator says about a draft, as the editor needs it. */
export interface PolicyCheck {
  ok: boolean;
  problems: Problem[];
  effect: "permit" | "forbid" | null;
  actions: string[];
  requiresApproval: boolean;
}

// Cedar names the policy by its internal id ("for policy `policy`, …"), which means nothing to
// the person editing it: there is only one policy in the editor.
const POLICY_ID_PREFIX = /^for policy `[^`]*`,\s*/;

export function cleanProblem(p: Problem): Problem {
  return { ...p, message: p.message.replace(POLICY_ID_PREFIX, "") };
}

/** "Line 2, col 8: message — help". */
export function describeProblem(p: Problem): string {
  const at = p.line ? `Line ${p.line}${p.column ? `, col ${p.column}` : ""}: ` : "";
  return `${at}${p.message}${p.help ? ` — ${p.help}` : ""}`;
}

// The save path reports problems as sentences ("Line 2, column 8: …"): read the position back so
// that the gutter can mark the line.
const SAVED_AT = /^Line (\d+), column (\d+): ([\s\S]*)$/;

export function problemsFromMessages(messages: readonly string[]): Problem[] {
  return messages.map((m) => {
    const at = SAVED_AT.exec(m);
    return cleanProblem(
      at
        ? { line: Number(at[1]), column: Number(at[2]), message: at[3], help: null }
        : { line: null, column: null, message: m, help: null },
    );
  });
}
