// Asking Mandate before acting. `check` is POST /api/v1/decisions as it is: allow, deny or
// needs_approval. `guard` turns that into "go ahead, or throw", waiting for a person's answer
// when a policy asks for one (an approval allows the same request once, so it asks again after).

import {
  MandateApiError,
  MandateApprovalPendingError,
  MandateApprovalTimeoutError,
  MandateDeniedError,
  MandateError,
} from "./errors.js";
import { retryAfterMs } from "./http.js";
import type {
  AllowAnswer,
  ApprovalState,
  DecisionAnswer,
  DecisionRequest,
  GuardOptions,
  NeedsApprovalAnswer,
} from "./types.js";

/** An authenticated JSON request to Mandate's API under `/api/v1`, retried as the client retries. */
export type ApiCall = (method: "GET" | "POST", path: string, body?: unknown) => Promise<Response>;

const DECISIONS = new Set(["allow", "deny", "needs_approval"]);
const STATUSES = new Set(["pending", "approved", "denied", "used", "expired"]);

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const DEFAULT_POLL_MS = 2000;

export class MandateActions {
  constructor(private readonly call: ApiCall) {}

  /** May the agent do this now? The answer as Mandate gives it; a deny is an answer, not an error. */
  async check(request: DecisionRequest): Promise<DecisionAnswer> {
    const answer = await readApiJson<DecisionAnswer>(await this.call("POST", "/decisions", request));
    if (!DECISIONS.has(answer?.decision)) throw new MandateError("decision answer has no valid `decision`");
    if (answer.decision === "needs_approval" && typeof answer.approval_id !== "string") {
      throw new MandateError("needs_approval answer has no approval_id");
    }
    return answer;
  }

  /** An approval request this agent opened, as it stands now. */
  async approval(id: string): Promise<ApprovalState> {
    const state = await readApiJson<ApprovalState>(await this.call("GET", `/approvals/${encodeURIComponent(id)}`));
    if (!STATUSES.has(state?.status)) throw new MandateError("approval answer has no valid `status`");
    return state;
  }

  /**
   * Resolves with the allow answer, or throws: MandateDeniedError when a policy or a person says
   * no (or the request expires unanswered), MandateApprovalPendingError when approval is needed
   * and `waitForApproval` is false, MandateApprovalTimeoutError when nobody answers in time.
   */
  async guard(request: DecisionRequest, options: GuardOptions = {}): Promise<AllowAnswer> {
    const {
      waitForApproval = true,
      timeoutMs = DEFAULT_TIMEOUT_MS,
      pollIntervalMs = DEFAULT_POLL_MS,
      signal,
    } = options;
    const deadline = Date.now() + timeoutMs;
    let answer = await this.check(request);
    for (;;) {
      if (answer.decision === "allow") return answer;
      if (answer.decision === "deny") throw new MandateDeniedError(answer);
      if (!waitForApproval) throw new MandateApprovalPendingError(answer);
      const state = await this.waitForAnswer(answer.approval_id, deadline, pollIntervalMs, signal);
      if (!state) throw new MandateApprovalTimeoutError(answer, timeoutMs);
      if (state.status === "denied" || state.status === "expired") throw deniedBy(answer, state);
      // Approved (or already used by a concurrent caller): ask again. The approval allows this
      // request once; if it is gone, the answer is a new needs_approval and the wait goes on.
      answer = await this.check(request);
    }
  }

  /** Polls until the request is no longer pending; null when the deadline passes first. */
  private async waitForAnswer(
    id: string,
    deadline: number,
    intervalMs: number,
    signal?: AbortSignal,
  ): Promise<ApprovalState | null> {
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return null;
      await sleep(Math.min(Math.max(0, intervalMs), remaining), signal);
      const state = await this.approval(id);
      if (state.status !== "pending") return state;
    }
  }
}

function deniedBy(answer: NeedsApprovalAnswer, state: ApprovalState): MandateDeniedError {
  const reason =
    state.status === "expired"
      ? `Nobody answered approval request ${state.id} before it expired.`
      : `${state.decided_by ?? "An approver"} denied approval request ${state.id}${
          state.decision_note ? `: ${state.decision_note}` : "."
        }`;
  return new MandateDeniedError({
    reason,
    policies: answer.policies,
    decision_id: answer.decision_id,
    approval_id: state.id,
    approval_status: state.status === "expired" ? "expired" : "denied",
    decided_by: state.decided_by,
    decision_note: state.decision_note,
  });
}

/** The JSON body of a successful answer; a MandateApiError (Mandate's `{error, message, details}`) otherwise. */
async function readApiJson<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    if (response.ok)
      throw new MandateError(`expected JSON from ${response.url || "Mandate"}, got: ${text.slice(0, 200)}`);
  }
  if (response.ok) return body as T;
  const { error, message, details } = (body ?? {}) as { error?: unknown; message?: unknown; details?: unknown };
  const { status } = response;
  throw new MandateApiError({
    error:
      typeof error === "string"
        ? error
        : status === 429 || status === 503
          ? "temporarily_unavailable"
          : status >= 500
            ? "server_error"
            : "invalid_response",
    message: typeof message === "string" ? message : undefined,
    status,
    details: details && typeof details === "object" ? (details as Record<string, string[]>) : undefined,
    retryAfterMs: retryAfterMs(response),
  });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
