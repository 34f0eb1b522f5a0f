"use client";

import clsx from "clsx";
import { Check, Copy } from "lucide-react";
import { useState } from "react";
import { buttonClass } from "./button";

/**
 * Copies a value to the clipboard and says so (to screen readers too). `size="sm"`: a small
 * button beside an id in running text; `compact`: an icon only (the label is its accessible
 * name), for a value shown right beside it.
 */
export function CopyButton({
  value,
  label = "Copy",
  size = "md",
  compact = false,
}: {
  value: string;
  label?: string;
  size?: "sm" | "md";
  compact?: boolean;
}) {
  const [copied, setCopied] = useState(false);
  const icon = size === "sm" || compact ? "size-3.5" : "size-4";
  return (
    <button
      type="button"
      className={clsx(
        buttonClass(compact ? "ghost" : "secondary"),
        compact ? "shrink-0 !px-1.5 !py-1" : size === "sm" && "!px-2 !py-1 !text-xs",
      )}
      aria-label={compact ? label : undefined}
      title={compact ? label : undefined}
      onClick={async () => {
        await navigator.clipboard?.writeText(value).catch(() => {});
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      }}
    >
      {copied ? <Check className={icon} aria-hidden /> : <Copy className={icon} aria-hidden />}
      {compact ? (
        <span aria-live="polite" className="sr-only">
          {copied ? "Copied" : ""}
        </span>
      ) : (
        <span aria-live="polite">{copied ? "Copied" : label}</span>
      )}
    </button>
  );
}
