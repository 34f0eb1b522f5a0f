import "server-only";

// The admin API speaks snake_case JSON (DESIGN.md) while the domain returns camelCase objects:
// one conversion at the edge. Free-form maps that belong to users (agent attributes) keep their
// keys as they were given.
const VERBATIM = new Set(["attributes"]);

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export function toJson(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(toJson);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [snake(k), VERBATIM.has(k) ? v : toJson(v)]));
  }
  return value;
}
