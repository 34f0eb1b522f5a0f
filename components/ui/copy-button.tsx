"use client";

import clsx from "clsx";
import { Check, Copy } from "lucide-react";
import { useState } from "react";
import { buttonClass } from "./button";

/** Copies a value to the clipboard and says so (to screen readers too). */
export function CopyButton({
  value,
  label = "Copy",
  size = "md",
}: {
  value: string;
  label?: string;
  /** sm: a compact button beside an id in running text. */
  size?: "sm" | "md";
}) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className={clsx(buttonClass("secondary"), size === "sm" && "!px-2 !py-1 !text-xs")}
      onClick={async () => {
        await navigator.clipboard?.writeText(value).catch(() => {});
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      }}
    >
      {copied ? (
        <Check className={size === "sm" ? "size-3.5" : "size-4"} aria-hidden />
      ) : (
        <Copy className={size === "sm" ? "size-3.5" : "size-4"} aria-hidden />
      )}
      <span aria-live="polite">{copied ? "Copied" : label}</span>
    </button>
  );
}
