// Durations and relative times for the console: token lifetimes ("10 minutes") and expiries
// ("in 9 minutes"). `now` is passed in so server and browser render the same text.

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;

/** A lifetime in its largest whole unit: 600 → "10 minutes", 3600 → "1 hour", 90 → "90 seconds". */
export function formatDuration(seconds: number): string {
  if (seconds > 0 && seconds % 3600 === 0) return plural(seconds / 3600, "hour");
  if (seconds > 0 && seconds % 60 === 0) return plural(seconds / 60, "minute");
  return plural(seconds, "second");
}

/**
 * How far a moment is from now, rounded down so an expiry is never overstated:
 * "in 9 minutes", "in 45 seconds", "3 hours ago".
 */
export function formatRelative(target: Date | string, now: Date | string): string {
  const ms = new Date(target).getTime() - new Date(now).getTime();
  const s = Math.floor(Math.abs(ms) / 1000);
  const text =
    s < 60
      ? plural(s, "second")
      : s < 3600
        ? plural(Math.floor(s / 60), "minute")
        : s < 86_400
          ? plural(Math.floor(s / 3600), "hour")
          : plural(Math.floor(s / 86_400), "day");
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}
