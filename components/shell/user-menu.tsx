"use client";

import { LogOut } from "lucide-react";
import { signOut } from "next-auth/react";
import { useState } from "react";

export function UserMenu({ name, email, role }: { name: string; email: string; role: string }) {
  const [pending, setPending] = useState(false);
  const initials = name
    .split(/\s+/)
    .map((p) => p[0])
    .slice(0, 2)
    .join("")
    .toUpperCase();
  return (
    <div className="flex items-center gap-3">
      <span
        aria-hidden
        className="grid size-8 place-items-center rounded-full bg-slate-200 text-xs font-semibold text-slate-700 dark:bg-slate-700 dark:text-slate-200"
      >
        {initials}
      </span>
      <div className="hidden min-w-0 text-right sm:block">
        <p className="truncate text-sm font-medium" data-testid="user-name">
          {name}
        </p>
        <p className="truncate text-xs text-muted">
          {email} · <span data-testid="user-role">{role}</span>
        </p>
      </div>
      <button
        type="button"
        disabled={pending}
        onClick={() => {
          setPending(true);
          void signOut({ callbackUrl: "/sign-in" });
        }}
        className="inline-flex items-center gap-1.5 rounded-md px-2.5 py-1.5 text-sm text-slate-700 ring-1 ring-slate-200 hover:bg-slate-100 dark:text-slate-300 dark:ring-slate-700 dark:hover:bg-slate-800"
      >
        <LogOut className="size-4" aria-hidden />
        {pending ? "Signing out…" : "Sign out"}
      </button>
    </div>
  );
}
