"use client";

import clsx from "clsx";
import { Search } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import type { NavItem } from "@/lib/navigation";
import { PaletteBody } from "./palette-body";

// The console's command palette: Ctrl+K / ⌘K anywhere, or "/" outside a text field, opens it. It
// finds what the caller may open in this tenant (GET /{tenant}/search) and jumps there; before any
// typing it offers the last places it went to and the sections the caller may open.

/** Whether a key press belongs to a field being typed in (where "/" is a character, not a shortcut). */
function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) {
    return true;
  }
  return (
    target instanceof HTMLInputElement &&
    !["checkbox", "radio", "button", "submit", "reset", "range", "color", "file"].includes(target.type)
  );
}

export function CommandPalette({
  tenantSlug,
  sections,
  scope,
}: {
  tenantSlug: string;
  /** The console's sections the caller may open here (the sidebar's). */
  sections: NavItem[];
  /** Whose recent places these are: the person and tenant. */
  scope: string;
}) {
  const [open, setOpen] = useState(false);
  // The shortcuts work once this has hydrated: only then does the trigger announce them.
  const [shortcuts, setShortcuts] = useState<"mac" | "other" | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    setShortcuts(/Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent) ? "mac" : "other");
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.isComposing) return;
      if (event.key.toLowerCase() === "k" && (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey) {
        event.preventDefault();
        setOpen((o) => !o);
      } else if (
        event.key === "/" &&
        !event.ctrlKey &&
        !event.metaKey &&
        !event.altKey &&
        !typingIn(event.target) &&
        // Not over another dialog (a confirmation, a form) that is open.
        !document.querySelector("dialog[open]")
      ) {
        event.preventDefault();
        setOpen(true);
      }
    }
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, []);

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) {
      d.showModal();
      d.querySelector<HTMLInputElement>("[cmdk-input]")?.focus();
    } else if (!open && d.open) d.close();
  }, [open]);

  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        aria-haspopup="dialog"
        aria-keyshortcuts={shortcuts ? "Control+K Meta+K /" : undefined}
        className={clsx(
          // On a phone's narrow header only the icon shows (the name stays for screen readers).
          "inline-flex items-center gap-2 rounded-md bg-white px-2 py-1.5 text-sm text-muted ring-1 ring-slate-200 sm:w-full sm:max-w-xs sm:px-3",
          "hover:bg-slate-50 hover:text-slate-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600",
          "dark:bg-slate-900 dark:ring-slate-700 dark:hover:bg-slate-800 dark:hover:text-slate-200",
        )}
      >
        <Search className="size-4 shrink-0" aria-hidden />
        <span className="sr-only sm:not-sr-only sm:flex-1 sm:text-left">Search…</span>
        <kbd className="hidden rounded border border-slate-200 px-1.5 font-sans text-xs text-muted sm:inline dark:border-slate-700">
          {shortcuts === "mac" ? "⌘K" : "Ctrl K"}
        </kbd>
      </button>
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: a click on the backdrop; Escape closes it from the keyboard. */}
      <dialog
        ref={dialog}
        aria-label="Search the console"
        // Escape: the state follows at once. The close event comes later (the browser queues it),
        // perhaps after the palette was opened again: it counts only if the dialog is still closed.
        onCancel={() => setOpen(false)}
        onClose={() => {
          if (!dialog.current?.open) setOpen(false);
        }}
        onClick={(event) => {
          if (event.target === event.currentTarget) setOpen(false);
        }}
        className={clsx(
          "mx-auto mt-[12vh] w-[calc(100%-2rem)] max-w-xl overflow-hidden rounded-xl bg-white p-0 text-slate-900 shadow-2xl ring-1 ring-slate-900/10",
          "backdrop:bg-slate-900/50 dark:bg-slate-900 dark:text-slate-100 dark:ring-slate-700",
        )}
      >
        {open ? (
          <PaletteBody tenantSlug={tenantSlug} sections={sections} scope={scope} onDone={() => setOpen(false)} />
        ) : null}
      </dialog>
    </>
  );
}
