/** Timestamps in the console: minutes, UTC, said so ("2026-11-22 17:45 UTC"); "—" for none. */
export function formatUtc(value: Date | string | null | undefined): string {
  if (!value) return "—";
  const iso = typeof value === "string" ? value : value.toISOString();
  return `${iso.slice(0, 16).replace("T", " ")} UTC`;
}

/** Calendar dates in tables ("2026-11-22"); "—" for none. */
export function formatDate(value: Date | string | null | undefined): string {
  if (!value) return "—";
  return (typeof value === "string" ? value : value.toISOString()).slice(0, 10);
}

/** How long ago, coarsely ("just now", "25 min ago", "4 h ago", "3 days ago"); "Never" for none. */
export function formatAgo(value: Date | string | null | undefined, now: Date | string): string {
  if (!value) return "Never";
  const ms = new Date(now).getTime() - new Date(value).getTime();
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}
