import type { z } from "zod";
import { ValidationError } from "./errors";
import { unstorablePath } from "./text/storable";

/** zod issues as { "field.path": ["message", ...] }, the shape forms and the API both show. */
export function fieldErrors(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join(".") || "_";
    out[key] = [...(out[key] ?? []), issue.message];
  }
  return out;
}

/** Parses input or throws a ValidationError naming every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  // Text the database cannot store (NUL, unpaired surrogates) is refused before any schema sees it.
  const unstorable = unstorablePath(input);
  if (unstorable) {
    throw new ValidationError({
      [unstorable]: ["Contains a character that cannot be stored (a NUL byte or an unpaired surrogate)."],
    });
  }
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(fieldErrors(result.error.issues));
  return result.data;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else cannot name a row (and must not reach a uuid column). */
export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/**
 * For filters read from a page's URL: the input without the top-level keys the schema refuses, so
 * a hand-edited or stale link shows the list unfiltered on that key instead of an error page.
 */
export function withoutInvalid(schema: z.ZodType, input: Record<string, unknown>): Record<string, unknown> {
  const result = schema.safeParse(input);
  if (result.success) return input;
  const bad = new Set(result.error.issues.map((i) => String(i.path[0] ?? "")));
  return Object.fromEntries(Object.entries(input).filter(([key]) => !bad.has(key)));
}

/** True when the text holds a C0 control character (NUL, tab, newline…) or DEL: never part of a name. */
export function hasControlCharacters(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}
