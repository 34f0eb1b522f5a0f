"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useRef, useTransition } from "react";

/** Table state lives in the URL: shareable, and the back button works. */
export function useUrlState() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [pending, startTransition] = useTransition();
  // The URL last asked for, until the router has landed on it: two changes in quick succession
  // (an agent, then an action) build on each other instead of the second erasing the first.
  const asked = useRef<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: params landing is the trigger
  useEffect(() => {
    asked.current = null;
  }, [params]);

  const set = useCallback(
    (updates: Record<string, string | null | undefined>, { resetPage = true } = {}) => {
      const next = new URLSearchParams(asked.current ?? params.toString());
      for (const [key, value] of Object.entries(updates)) {
        if (value === null || value === undefined || value === "") next.delete(key);
        else next.set(key, value);
      }
      // Any other change starts the list again from its first page (offset or cursor).
      if (resetPage && !("page" in updates)) next.delete("page");
      if (resetPage && !("cursor" in updates)) next.delete("cursor");
      const query = next.toString();
      asked.current = query;
      startTransition(() => router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false }));
    },
    [params, pathname, router],
  );

  return { params, set, pending };
}
