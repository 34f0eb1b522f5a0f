"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";

/** Whether a click on `target` starts a navigation inside the console (a same-origin link to another address). */
function startsNavigation(event: MouseEvent): boolean {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return false;
  const link = (event.target as Element | null)?.closest?.("a[href]");
  if (!(link instanceof HTMLAnchorElement)) return false;
  if ((link.target && link.target !== "_self") || link.hasAttribute("download")) return false;
  const url = new URL(link.href, window.location.href);
  if (url.origin !== window.location.origin) return false;
  return url.pathname !== window.location.pathname || url.search !== window.location.search;
}

/**
 * A thin bar across the top while a link's page loads, so a click is visibly taken even before
 * the page's own loading skeleton shows. It ends when the address changes.
 */
export function NavigationProgress() {
  const pathname = usePathname();
  const search = useSearchParams();
  const [active, setActive] = useState(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the address landing is the trigger
  useEffect(() => setActive(false), [pathname, search]);

  useEffect(() => {
    // Capture phase: Next's <Link> calls preventDefault in its own handler, before a bubbling one.
    const onClick = (event: MouseEvent) => {
      if (startsNavigation(event)) setActive(true);
    };
    const onPop = () => setActive(true);
    document.addEventListener("click", onClick, true);
    window.addEventListener("popstate", onPop);
    return () => {
      document.removeEventListener("click", onClick, true);
      window.removeEventListener("popstate", onPop);
    };
  }, []);

  if (!active) return null;
  return (
    <div
      aria-hidden
      data-testid="navigation-progress"
      className="pointer-events-none fixed inset-x-0 top-0 z-50 h-0.5 overflow-hidden"
    >
      <div className="navigation-progress h-full bg-indigo-600 dark:bg-indigo-400" />
    </div>
  );
}
