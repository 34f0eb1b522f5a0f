"use client";

import { useEffect, useState } from "react";
import type { ConsoleSearchResult } from "@/lib/schemas/search";

/** How long typing must pause before the palette asks the server. */
export const SEARCH_DEBOUNCE_MS = 200;

export type SearchState =
  | { status: "idle" }
  /** `previous` stays on screen (dimmed) until the answer for the new text arrives. */
  | { status: "loading"; previous: ConsoleSearchResult | null }
  | { status: "done"; result: ConsoleSearchResult }
  /** `retryable`: the server or the network failed; a refusal of the text itself is not. */
  | { status: "error"; message: string; retryable: boolean };

/** The server's sentence for a refusal: the field's own message first ("Use at most 100 characters."). */
function refusalMessage(body: unknown): string | null {
  if (!body || typeof body !== "object") return null;
  const { message, details } = body as { message?: unknown; details?: Record<string, unknown> };
  const field = Array.isArray(details?.q) ? details.q[0] : undefined;
  if (typeof field === "string") return field;
  return typeof message === "string" ? message : null;
}

class SearchFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

async function search(tenantSlug: string, q: string, signal: AbortSignal): Promise<ConsoleSearchResult> {
  let response: Response;
  try {
    response = await fetch(`/${encodeURIComponent(tenantSlug)}/search?${new URLSearchParams({ q })}`, {
      signal,
      cache: "no-store",
      headers: { accept: "application/json" },
    });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new SearchFailure("Mandate could not be reached. Check your connection and try again.", true);
  }
  // Without a session the console's proxy answers with the sign-in page instead.
  if (response.redirected && new URL(response.url).pathname.startsWith("/sign-in")) {
    throw new SearchFailure("Your session has ended. Sign in again.", false);
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok || !body) {
    const retryable = response.status >= 500 || response.ok;
    throw new SearchFailure(refusalMessage(body) ?? "Search failed. Try again in a moment.", retryable);
  }
  return body as ConsoleSearchResult;
}

/**
 * The palette's search as the text changes: debounced, and each request cancelled when newer text
 * overtakes it, so an old answer never replaces a newer one. `retry` asks again for the same text.
 */
export function useConsoleSearch(tenantSlug: string, text: string): { state: SearchState; retry: () => void } {
  const [state, setState] = useState<SearchState>({ status: "idle" });
  const [attempt, setAttempt] = useState(0);
  const q = text.trim();
  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is how retry asks again.
  useEffect(() => {
    if (!q) {
      setState({ status: "idle" });
      return;
    }
    setState((s) => ({
      status: "loading",
      previous: s.status === "done" ? s.result : s.status === "loading" ? s.previous : null,
    }));
    const controller = new AbortController();
    const timer = setTimeout(() => {
      search(tenantSlug, q, controller.signal).then(
        (result) => setState({ status: "done", result }),
        (error: unknown) => {
          if (controller.signal.aborted) return;
          const retryable = !(error instanceof SearchFailure) || error.retryable;
          setState({ status: "error", message: error instanceof Error ? error.message : String(error), retryable });
        },
      );
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [tenantSlug, q, attempt]);
  return { state, retry: () => setAttempt((n) => n + 1) };
}
