// Text PostgreSQL cannot store: the NUL character (text and jsonb refuse it) and UTF-16 surrogates
// that are not in a pair (they have no UTF-8 form). Everything Mandate records or writes passes one
// of the two guards below: input is refused naming the field (parseInput), and what the audit store
// records about a refusal is escaped (recordAudit), so a bad value can never knock a record out.

function isHigh(c: number) {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLow(c: number) {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** The index of the first code unit PostgreSQL cannot store, or -1. */
export function unstorableAt(value: string): number {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0) return i;
    if (isHigh(c)) {
      if (i + 1 < value.length && isLow(value.charCodeAt(i + 1))) i++;
      else return i;
    } else if (isLow(c)) return i;
  }
  return -1;
}

/** The text with each unstorable code unit written as a visible escape (\u0000, \ud800). */
export function storableText(value: string): { text: string; changed: boolean } {
  if (unstorableAt(value) === -1) return { text: value, changed: false };
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const paired = isHigh(c) && i + 1 < value.length && isLow(value.charCodeAt(i + 1));
    if (paired) {
      out += value[i] + value[i + 1];
      i++;
    } else if (c === 0 || isHigh(c) || isLow(c)) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += value[i];
  }
  return { text: out, changed: true };
}

/** The same for a JSON value, keys and strings alike, at any depth. */
export function storableJson(value: unknown): { value: unknown; changed: boolean } {
  if (typeof value === "string") {
    const r = storableText(value);
    return { value: r.text, changed: r.changed };
  }
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => {
      const r = storableJson(v);
      changed ||= r.changed;
      return r.value;
    });
    return { value: out, changed };
  }
  if (value && typeof value === "object") {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const key = storableText(k);
      const inner = storableJson(v);
      changed ||= key.changed || inner.changed;
      out[key.text] = inner.value;
    }
    return { value: out, changed };
  }
  return { value, changed: false };
}

/** The path ("a.b.0") of the first string (or key) in an input that PostgreSQL cannot store, or null. */
export function unstorablePath(value: unknown, path: string[] = [], depth = 0): string | null {
  if (depth > 64) return null;
  if (typeof value === "string") return unstorableAt(value) === -1 ? null : path.join(".") || "_";
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unstorablePath(value[i], [...path, String(i)], depth + 1);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (unstorableAt(k) !== -1) return [...path, storableText(k).text].join(".");
      const found = unstorablePath(v, [...path, k], depth + 1);
      if (found) return found;
    }
  }
  return null;
}

/** At most `max` code units, never cutting a surrogate pair in two (which would leave half of it). */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  return isHigh(value.charCodeAt(max - 1)) ? value.slice(0, max - 1) : value.slice(0, max);
}
