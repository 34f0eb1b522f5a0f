"use client";

import { Check, Copy } from "lucide-react";
import { useState } from "react";
import { Button } from "./button";

/**
 * Copies a value to the clipboard and says so. `compact`: an icon only (the label is its
 * accessible name), for a value shown right beside it.
 */
export function CopyButton({ value, label = "Copy", compact }: { value: string; label?: string; compact?: boolean }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      variant={compact ? "ghost" : "secondary"}
      className={compact ? "shrink-0 px-1.5 py-1" : undefined}
      aria-label={compact ? label : undefined}
      title={compact ? label : undefined}
      onClick={async () => {
        await navigator.clipboard?.writeText(value).catch(() => {});
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      }}
    >
      {copied ? <Check className="size-4" aria-hidden /> : <Copy className="size-4" aria-hidden />}
      {compact ? (
        <span role="status" className="sr-only">
          {copied ? "Copied" : ""}
        </span>
      ) : copied ? (
        "Copied"
      ) : (
        label
      )}
    </Button>
  );
}
