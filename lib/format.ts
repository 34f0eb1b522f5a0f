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
