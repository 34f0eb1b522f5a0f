"use client";

import * as Menu from "@radix-ui/react-dropdown-menu";
import clsx from "clsx";
import { MoreHorizontal } from "lucide-react";
import Link from "next/link";
import { useRef } from "react";

export type ActionMenuItem =
  | {
      label: string;
      /** Gets the menu's button, to give focus back to when what the item opens (a dialog) closes. */
      onSelect: (trigger: HTMLButtonElement | null) => void;
      /** The item opens a dialog: focus is not put back on the button when the menu closes. */
      opensDialog?: boolean;
      tone?: "danger";
    }
  | { label: string; href: string };

const ITEM =
  // The highlighted item has the focus: a background for the pointer, and a ring for the keyboard.
  "flex w-full cursor-default items-center rounded-md px-3 py-2 text-sm outline-none select-none data-[highlighted]:bg-slate-100 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600 dark:data-[highlighted]:bg-slate-800 dark:focus-visible:outline-indigo-400";

/**
 * A row's secondary actions behind one button (Radix's menu: arrow keys, typeahead, Escape, and
 * focus back on the button when it closes).
 */
export function ActionMenu({ label, items }: { label: string; items: ActionMenuItem[] }) {
  const trigger = useRef<HTMLButtonElement>(null);
  const toDialog = useRef(false);
  if (!items.length) return null;
  return (
    <Menu.Root modal={false}>
      <Menu.Trigger
        ref={trigger}
        aria-label={label}
        className="inline-flex size-9 items-center justify-center rounded-md text-slate-700 ring-1 ring-slate-300 ring-inset hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 data-[state=open]:bg-slate-100 dark:text-slate-200 dark:ring-slate-700 dark:hover:bg-slate-800 dark:data-[state=open]:bg-slate-800"
      >
        <MoreHorizontal className="size-4" aria-hidden />
      </Menu.Trigger>
      <Menu.Portal>
        <Menu.Content
          align="end"
          sideOffset={4}
          onCloseAutoFocus={(event) => {
            // A dialog opening from an item takes focus; it gives it back to the button itself.
            if (toDialog.current) event.preventDefault();
            toDialog.current = false;
          }}
          className="z-50 min-w-48 rounded-lg bg-white p-1 text-slate-900 shadow-lg ring-1 ring-slate-200 dark:bg-slate-900 dark:text-slate-100 dark:ring-slate-700"
        >
          {items.map((item) =>
            "href" in item ? (
              <Menu.Item key={item.label} asChild className={ITEM}>
                <Link href={item.href}>{item.label}</Link>
              </Menu.Item>
            ) : (
              <Menu.Item
                key={item.label}
                className={clsx(ITEM, item.tone === "danger" && "text-red-700 dark:text-red-300")}
                onSelect={() => {
                  toDialog.current = !!item.opensDialog;
                  item.onSelect(trigger.current);
                }}
              >
                {item.label}
              </Menu.Item>
            ),
          )}
        </Menu.Content>
      </Menu.Portal>
    </Menu.Root>
  );
}
