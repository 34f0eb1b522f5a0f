"use client";

import { Building2, Check, ChevronsUpDown } from "lucide-react";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";

export interface TenantOption {
  slug: string;
  name: string;
}

/** Lists only the tenants the signed-in user may see (the server decides which). */
export function TenantSwitcher({ current, tenants }: { current: TenantOption; tenants: TenantOption[] }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent ? e.key === "Escape" : !ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, [open]);

  return (
    <div ref={ref} className="relative">
      <button
        type="button"
        aria-expanded={open}
        aria-label={`Tenant: ${current.name}. Switch tenant`}
        onClick={() => setOpen((o) => !o)}
        className="flex w-full items-center gap-2 rounded-md bg-white px-3 py-2 text-left text-sm ring-1 ring-slate-200 hover:bg-slate-50 dark:bg-slate-900 dark:ring-slate-800 dark:hover:bg-slate-800"
      >
        <Building2 className="size-4 text-muted" aria-hidden />
        <span className="flex-1 truncate font-medium">{current.name}</span>
        <ChevronsUpDown className="size-4 text-slate-400" aria-hidden />
      </button>
      {open ? (
        <ul
          aria-label="Tenants"
          className="absolute z-20 mt-1 max-h-72 w-full overflow-auto rounded-md bg-white py-1 text-sm shadow-lg ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800"
        >
          {tenants.map((t) => (
            <li key={t.slug}>
              <Link
                href={`/${t.slug}`}
                aria-current={t.slug === current.slug ? "page" : undefined}
                onClick={() => setOpen(false)}
                className="flex items-center gap-2 px-3 py-2 hover:bg-slate-100 dark:hover:bg-slate-800"
              >
                <span className="flex-1 truncate">{t.name}</span>
                {t.slug === current.slug ? <Check className="size-4 text-indigo-600" aria-hidden /> : null}
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
