import { describe, expect, it } from "vitest";
import { ValidationError } from "@/lib/errors";
import { jsonCursor, keysetPage, seqCursor } from "./keyset";

// keysetPage against an in-memory list: the where clauses it builds are evaluated here the way
// PostgreSQL would, so paging both ways, the extra row and the capped count are checked without
// a database (the lists' own integration tests check the same against one).

interface Row {
  id: string;
  at: Date;
}

type Where = Record<string, unknown>;

function matches(row: Row, where: Where): boolean {
  return Object.entries(where).every(([field, cond]) => {
    if (field === "AND") return (cond as Where[]).every((w) => matches(row, w));
    if (field === "OR") return (cond as Where[]).some((w) => matches(row, w));
    const value = row[field as keyof Row];
    const v = value instanceof Date ? value.getTime() : value;
    if (cond instanceof Date || typeof cond !== "object" || cond === null) {
      return v === (cond instanceof Date ? cond.getTime() : cond);
    }
    return Object.entries(cond).every(([op, raw]) => {
      const x = raw instanceof Date ? raw.getTime() : (raw as string | number);
      if (op === "lt") return v < x;
      if (op === "lte") return v <= x;
      if (op === "gt") return v > x;
      if (op === "gte") return v >= x;
      throw new Error(`unexpected ${op}`);
    });
  });
}

// 7 rows, two pairs sharing a time: the id must break the tie without skipping or repeating.
const t = (m: number) => new Date(Date.UTC(2026, 0, 1, 0, m));
const ROWS: Row[] = [
  { id: "a", at: t(1) },
  { id: "b", at: t(2) },
  { id: "c", at: t(2) },
  { id: "d", at: t(3) },
  { id: "e", at: t(4) },
  { id: "f", at: t(4) },
  { id: "g", at: t(5) },
];

function list(dir: "asc" | "desc", cursor?: string, countLimit?: number) {
  return keysetPage({
    key: "at",
    keyOf: (r: Row) => r.at,
    idOf: (r) => r.id,
    cursors: jsonCursor("date"),
    sort: "at",
    dir,
    pageSize: 3,
    cursor,
    where: {} as Where,
    find: async (where, order, take) => {
      const sign = order === "asc" ? 1 : -1;
      return ROWS.filter((r) => matches(r, where))
        .sort((x, y) => sign * (x.at.getTime() - y.at.getTime() || x.id.localeCompare(y.id)))
        .slice(0, take);
    },
    count: async (where, take) => Math.min(ROWS.filter((r) => matches(r, where)).length, take),
    countLimit,
  });
}

const ids = (rows: Row[]) => rows.map((r) => r.id).join("");

describe("keysetPage", () => {
  it("walks a list forwards and back, in either order, without skipping or repeating tied keys", async () => {
    for (const [dir, pages] of [
      ["desc", ["gfe", "dcb", "a"]],
      ["asc", ["abc", "def", "g"]],
    ] as const) {
      const p1 = await list(dir);
      const p2 = await list(dir, p1.nextCursor as string);
      const p3 = await list(dir, p2.nextCursor as string);
      expect([ids(p1.rows), ids(p2.rows), ids(p3.rows)]).toEqual(pages);
      expect([p1.prevCursor, p3.nextCursor]).toEqual([null, null]);
      const back = await list(dir, p3.prevCursor as string);
      expect(ids(back.rows)).toBe(pages[1]);
      const first = await list(dir, back.prevCursor as string);
      expect(ids(first.rows)).toBe(pages[0]);
      expect(first.prevCursor).toBeNull();
      expect(first.nextCursor).not.toBeNull();
    }
  });

  it("says the page's size and order, and caps the count", async () => {
    const page = await list("desc", undefined, 5);
    expect(page).toMatchObject({ total: 5, totalCapped: true, pageSize: 3, sort: "at", dir: "desc" });
    expect(await list("desc", undefined, 7)).toMatchObject({ total: 7, totalCapped: false });
  });

  it("refuses a cursor this list did not hand out", async () => {
    for (const junk of ["junk", "n12", Buffer.from('{"k":"x","i":"a","d":"next"}').toString("base64url")]) {
      await expect(list("desc", junk)).rejects.toBeInstanceOf(ValidationError);
    }
  });
});

describe("cursor formats", () => {
  // Clients keep cursors between requests: each list's format is pinned.
  it("writes the grants' {c, i, d} and reads it back", () => {
    const grants = jsonCursor("date", "c");
    const at = { key: new Date("2026-01-02T03:04:05.678Z"), id: "g-1", step: "prev" as const };
    const value = grants.write(at);
    expect(JSON.parse(Buffer.from(value, "base64url").toString())).toEqual({
      c: "2026-01-02T03:04:05.678Z",
      i: "g-1",
      d: "prev",
    });
    expect(grants.read(value)).toEqual(at);
    expect(jsonCursor("date").read(value)).toBeNull();
  });

  it("writes people's {k, i, d} with a name as the key", () => {
    const people = jsonCursor("string");
    const value = people.write({ key: "Ada", id: "u-1", step: "next" });
    expect(Buffer.from(value, "base64url").toString()).toBe('{"k":"Ada","i":"u-1","d":"next"}');
    expect(people.read(value)).toEqual({ key: "Ada", id: "u-1", step: "next" });
  });

  it("writes the audit log's n<seq> and p<seq>", () => {
    expect(seqCursor.write({ key: 42n, id: null, step: "next" })).toBe("n42");
    expect(seqCursor.write({ key: 7n, id: null, step: "prev" })).toBe("p7");
    expect(seqCursor.read("p7")).toEqual({ key: 7n, id: null, step: "prev" });
    expect(seqCursor.read("x1")).toBeNull();
  });
});
