import { z } from "zod";
import type { Permission } from "../permissions";
import { hasControlCharacters } from "../validation";

/** What the console's command palette finds, in the order it shows them. */
export const SEARCH_KINDS = ["agent", "person", "grant", "policy", "tenant", "audit_event"] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/** Each kind is found by those who may open its section in the tenant (lib/navigation.ts). */
export const SEARCH_KIND_PERMISSIONS: Record<SearchKind, Permission> = {
  agent: "agents.read",
  person: "members.read",
  grant: "grants.read_own",
  policy: "policies.read",
  // The tenants one belongs to are in the tenant switcher already.
  tenant: "tenant.read",
  audit_event: "audit.read",
};

/** At most this many results of each kind: the palette jumps, the list pages search. */
export const SEARCH_HITS_PER_KIND = 5;

/** The palette's search text: a name, part of one, or an id. Empty finds nothing. */
export const consoleSearchSchema = z.object({
  q: z
    .string({ error: "Search for a name or an id." })
    .trim()
    .max(100, "Use at most 100 characters.")
    .refine((v) => !hasControlCharacters(v), "Use text without control characters."),
});

export interface SearchHit {
  kind: SearchKind;
  id: string;
  title: string;
  detail: string;
  /** The console page that shows it. */
  href: string;
}

/** What GET /{tenant}/search answers. */
export interface ConsoleSearchResult {
  query: string;
  /** The object whose id is exactly the text, when the caller may see it: the palette's first choice. */
  exact: SearchHit | null;
  /** One group per kind the caller may read in the tenant, in SEARCH_KINDS order; some may be empty. */
  groups: { kind: SearchKind; hits: SearchHit[] }[];
}
