"use client";

import { MailCheck, MailWarning, TriangleAlert } from "lucide-react";
import { CopyButton } from "@/components/ui/copy-button";
import { formatUtc } from "@/lib/format";
import type { IssuedLink } from "../actions";

/** A fresh invitation link, shown once: Mandate keeps only its hash. */
export function IssuedLinkNotice({ link }: { link: IssuedLink }) {
  return (
    <div role="status" data-testid="invitation-link" className="space-y-3 text-sm">
      {link.emailDelivery === "sent" ? (
        <p className="flex items-center gap-2 text-emerald-800 dark:text-emerald-200">
          <MailCheck className="size-4 shrink-0" aria-hidden /> Sent to {link.email}.
        </p>
      ) : link.emailDelivery === "failed" ? (
        <p className="flex items-center gap-2 text-red-700 dark:text-red-300">
          <MailWarning className="size-4 shrink-0" aria-hidden /> The email to {link.email} could not be sent: give them
          the link yourself.
        </p>
      ) : (
        <p className="text-slate-600 dark:text-slate-400">
          Email is not set up here (SMTP_URL): give {link.email} this link yourself.
        </p>
      )}
      <p className="flex items-center gap-2 font-medium text-amber-900 dark:text-amber-100">
        <TriangleAlert className="size-4 shrink-0" aria-hidden />
        Copy the link now: it is shown only once. It works once, until {formatUtc(link.expiresAt)}.
      </p>
      <div className="flex items-center gap-2">
        <code
          data-testid="invitation-url"
          className="min-w-0 flex-1 truncate rounded bg-slate-100 px-2 py-1.5 font-mono text-xs dark:bg-slate-800"
        >
          {link.url}
        </code>
        <CopyButton value={link.url} label="Copy link" />
      </div>
    </div>
  );
}
