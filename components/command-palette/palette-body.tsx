"use client";

import clsx from "clsx";
import { Command } from "cmdk";
import { CircleAlert, Loader2, RotateCw, Search } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useId, useState } from "react";
import { NAV_ICONS } from "@/components/shell/sidebar-nav";
import type { NavItem } from "@/lib/navigation";
import { SEARCH_KIND_PERMISSIONS, SEARCH_KINDS, type SearchHit, type SearchKind } from "@/lib/schemas/search";
import { readRecent, rememberRecent } from "./recent";
import { useConsoleSearch } from "./use-console-search";

// What the open palette shows: the search box, the choices (cmdk's listbox) and why there are none.

const KINDS: Record<SearchKind, { heading: string; one: string; noun: string; icon: keyof typeof NAV_ICONS }> = {
  agent: { heading: "Agents", one: "Agent", noun: "agents", icon: "agents" },
  person: { heading: "People", one: "Person", noun: "people", icon: "people" },
  grant: { heading: "Grants", one: "Grant", noun: "grants", icon: "grants" },
  policy: { heading: "Policies", one: "Policy", noun: "policies", icon: "policies" },
  tenant: { heading: "Tenants", one: "Tenant", noun: "tenants", icon: "tenants" },
  audit_event: { heading: "Audit events", one: "Audit event", noun: "audit events", icon: "audit" },
};

const ITEM = clsx(
  "flex cursor-pointer select-none items-center gap-3 rounded-lg px-3 py-2 text-sm text-slate-700 dark:text-slate-200",
  "data-[selected=true]:bg-indigo-50 data-[selected=true]:text-indigo-900",
  "dark:data-[selected=true]:bg-indigo-950 dark:data-[selected=true]:text-indigo-100",
);
const HEADINGS = clsx(
  "[&_[cmdk-group-heading]]:px-3 [&_[cmdk-group-heading]]:pb-1 [&_[cmdk-group-heading]]:pt-3",
  "[&_[cmdk-group-heading]]:text-xs [&_[cmdk-group-heading]]:font-semibold [&_[cmdk-group-heading]]:text-slate-500",
  "dark:[&_[cmdk-group-heading]]:text-slate-400",
);

/** The open palette; mounted only while open, so each opening starts afresh. */
export function PaletteBody({
  tenantSlug,
  sections,
  scope,
  onDone,
}: {
  tenantSlug: string;
  sections: NavItem[];
  scope: string;
  onDone: () => void;
}) {
  const router = useRouter();
  const [text, setText] = useState("");
  const [selected, setSelected] = useState("");
  const [recent] = useState(() => readRecent(scope));
  const { state, retry } = useConsoleSearch(tenantSlug, text);
  const hintId = useId();
  const q = text.trim();

  const kinds = SEARCH_KINDS.filter(
    (k) => k === "tenant" || sections.some((s) => s.permission === SEARCH_KIND_PERMISSIONS[k]),
  );
  const destinations = sections
    .filter((s) => !q || s.label.toLowerCase().includes(q.toLowerCase()))
    .map((s) => ({ ...s, href: s.segment ? `/${tenantSlug}/${s.segment}` : `/${tenantSlug}` }));
  const result = state.status === "done" ? state.result : state.status === "loading" ? state.previous : null;
  const groups = result?.groups.filter((g) => g.hits.length) ?? [];
  const found = (result?.exact ? 1 : 0) + groups.reduce((n, g) => n + g.hits.length, 0);

  // The first choice is selected whenever the choices change, so Enter takes the best one.
  const first = !q
    ? recent[0]
      ? `${recent[0].kind}:${recent[0].id}`
      : `section:${destinations[0]?.segment}`
    : result?.exact
      ? `exact:${result.exact.id}`
      : destinations[0]
        ? `section:${destinations[0].segment}`
        : groups[0]
          ? `${groups[0].kind}:${groups[0].hits[0].id}`
          : "";
  useEffect(() => setSelected(first), [first]);

  function go(href: string, hit?: SearchHit) {
    if (hit) rememberRecent(scope, hit);
    onDone();
    router.push(href);
  }

  const announcement =
    state.status === "done"
      ? found
        ? `${found} ${found === 1 ? "result" : "results"}`
        : `No match for “${q}”`
      : state.status === "error"
        ? state.message
        : "";

  return (
    <Command
      label="Search the console"
      shouldFilter={false}
      loop
      vimBindings={false}
      value={selected}
      onValueChange={setSelected}
    >
      {/* The input draws no outline of its own (it is the dialog's one field): its row's border shows the focus. */}
      <div className="flex items-center gap-3 border-b-2 border-slate-200 px-4 focus-within:border-indigo-600 dark:border-slate-800 dark:focus-within:border-indigo-400">
        <Search className="size-5 shrink-0 text-slate-400" aria-hidden />
        <Command.Input
          value={text}
          onValueChange={setText}
          maxLength={100}
          placeholder="Search by name or id…"
          aria-describedby={hintId}
          className="h-14 min-w-0 flex-1 bg-transparent text-base text-slate-900 outline-none placeholder:text-slate-400 dark:text-slate-100 dark:placeholder:text-slate-500"
        />
        {state.status === "loading" ? (
          <Loader2 className="size-4 shrink-0 animate-spin text-slate-400" aria-hidden />
        ) : null}
        <kbd className="rounded border border-slate-200 px-1.5 font-sans text-xs text-muted dark:border-slate-700">
          Esc
        </kbd>
      </div>
      {/* What the list holds, or why it holds nothing: outside the listbox, which holds only choices. */}
      {!q ? <p className="px-5 pt-3 text-xs text-muted">Finds {listOf(kinds)}.</p> : null}
      {q && state.status === "error" ? (
        <p
          role="alert"
          className="mx-3 mt-3 flex items-start gap-2 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
        >
          <CircleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
          {state.message}
        </p>
      ) : null}
      {q && state.status === "loading" && !result ? (
        <Command.Loading label="Searching" className="px-5 py-6 text-center text-sm text-muted">
          Searching…
        </Command.Loading>
      ) : null}
      {q && state.status === "done" && !found ? (
        <p className="px-5 pt-6 pb-4 text-center text-sm text-muted">
          No match for “<span className="font-medium text-slate-700 dark:text-slate-200">{q}</span>”.
        </p>
      ) : null}
      <Command.List
        label="Results"
        aria-busy={state.status === "loading"}
        className={clsx(
          "max-h-[min(60vh,28rem)] overflow-y-auto overscroll-contain px-2 pb-2 transition-opacity",
          state.status === "loading" && result && "opacity-60",
          HEADINGS,
        )}
      >
        {!q && recent.length ? (
          <Command.Group heading="Recent">
            {recent.map((hit) => (
              <HitItem
                key={`${hit.kind}:${hit.id}`}
                hit={hit}
                badge={KINDS[hit.kind].one}
                onSelect={() => go(hit.href, hit)}
              />
            ))}
          </Command.Group>
        ) : null}
        {q && state.status === "error" && state.retryable ? (
          <Command.Item value="retry" onSelect={retry} className={clsx(ITEM, "mt-2")}>
            <RotateCw className="size-4 shrink-0 text-slate-400" aria-hidden />
            Try again
          </Command.Item>
        ) : null}
        {q && result?.exact ? (
          <Command.Group heading="Exact id">
            <HitItem
              hit={result.exact}
              value={`exact:${result.exact.id}`}
              badge={KINDS[result.exact.kind].one}
              onSelect={() => result.exact && go(result.exact.href, result.exact)}
            />
          </Command.Group>
        ) : null}
        {destinations.length ? (
          <Command.Group heading="Go to">
            {destinations.map((s) => {
              const Icon = NAV_ICONS[s.icon];
              return (
                <Command.Item
                  key={s.segment}
                  value={`section:${s.segment}`}
                  onSelect={() => go(s.href)}
                  className={ITEM}
                >
                  <Icon className="size-4 shrink-0 text-slate-400" aria-hidden />
                  <span className="flex-1 truncate font-medium">{s.label}</span>
                </Command.Item>
              );
            })}
          </Command.Group>
        ) : null}
        {q
          ? groups.map((g) => (
              <Command.Group key={g.kind} heading={KINDS[g.kind].heading}>
                {g.hits.map((hit) => (
                  <HitItem key={hit.id} hit={hit} onSelect={() => go(hit.href, hit)} />
                ))}
              </Command.Group>
            ))
          : null}
      </Command.List>
      <div
        id={hintId}
        className="flex flex-wrap items-center justify-end gap-2 border-t border-slate-200 px-4 py-2 text-xs text-muted dark:border-slate-800"
      >
        <span className="flex gap-3">
          <span>
            <Key>↑</Key> <Key>↓</Key> to move
          </span>
          <span>
            <Key>Enter</Key> to open
          </span>
          <span>
            <Key>Esc</Key> to close
          </span>
        </span>
      </div>
      <div role="status" aria-live="polite" className="sr-only">
        {announcement}
      </div>
    </Command>
  );
}

/** "agents, people and grants" */
function listOf(kinds: SearchKind[]): string {
  const nouns = kinds.map((k) => KINDS[k].noun);
  return nouns.length > 1 ? `${nouns.slice(0, -1).join(", ")} and ${nouns[nouns.length - 1]}` : (nouns[0] ?? "");
}

function Key({ children }: { children: string }) {
  return (
    <kbd className="rounded border border-slate-200 px-1 font-sans text-[0.7rem] dark:border-slate-700">{children}</kbd>
  );
}

function HitItem({
  hit,
  value = `${hit.kind}:${hit.id}`,
  badge,
  onSelect,
}: {
  hit: SearchHit;
  value?: string;
  badge?: string;
  onSelect: () => void;
}) {
  const Icon = NAV_ICONS[KINDS[hit.kind].icon];
  return (
    <Command.Item value={value} onSelect={onSelect} className={ITEM}>
      <Icon className="size-4 shrink-0 text-slate-400" aria-hidden />
      <span className="min-w-0 flex-1">
        <span className="block truncate font-medium">{hit.title}</span>
        <span className="block truncate text-xs text-slate-600 dark:text-slate-400">{hit.detail}</span>
      </span>
      {badge ? (
        <span className="shrink-0 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600 dark:bg-slate-800 dark:text-slate-300">
          {badge}
        </span>
      ) : null}
    </Command.Item>
  );
}
