"use client";

import { SEARCH_KINDS, type SearchHit } from "@/lib/schemas/search";

// The last few places the palette took someone to, for this tab only (sessionStorage), per person
// and tenant: names of agents and people do not outlive the browser session on a shared machine.

const MAX_RECENT = 4;

const storageKey = (scope: string) => `mandate.palette.recent:${scope}`;

function isHit(value: unknown): value is SearchHit {
  if (!value || typeof value !== "object") return false;
  const h = value as Record<string, unknown>;
  return (
    (SEARCH_KINDS as readonly unknown[]).includes(h.kind) &&
    ["id", "title", "detail", "href"].every((k) => typeof h[k] === "string") &&
    // Only this console's own pages: a path, never another site ("//host" is one).
    /^\/(?!\/)/.test(h.href as string)
  );
}

export function readRecent(scope: string): SearchHit[] {
  try {
    const stored: unknown = JSON.parse(sessionStorage.getItem(storageKey(scope)) ?? "[]");
    return Array.isArray(stored) ? stored.filter(isHit).slice(0, MAX_RECENT) : [];
  } catch {
    return [];
  }
}

export function rememberRecent(scope: string, hit: SearchHit): void {
  try {
    const rest = readRecent(scope).filter((h) => !(h.kind === hit.kind && h.id === hit.id));
    const { kind, id, title, detail, href } = hit;
    sessionStorage.setItem(
      storageKey(scope),
      JSON.stringify([{ kind, id, title, detail, href }, ...rest].slice(0, MAX_RECENT)),
    );
  } catch {
    // Storage may be full or off: the palette works without its recent list.
  }
}
