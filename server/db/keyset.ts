import "server-only";
import { ValidationError } from "@/lib/errors";

// Keyset pages: a list ordered by (key, id) is read from just after (or before) the row a cursor
// names, so the millionth page costs what the first does. One extra row tells whether there is
// more; counts stop at a limit. The cursor is opaque to callers (base64url JSON).

export type Direction = "asc" | "desc";

export interface KeysetCursor {
  /** The sort key of the row the page continues from: a string, or a date as ISO 8601. */
  k: string;
  /** Its id, the tie-breaker. */
  i: string;
  /** next: the rows after it in the list's order; prev: the rows before it. */
  d: "next" | "prev";
}

export interface KeysetPage<T> {
  rows: T[];
  /** Exact up to the count limit; beyond it `totalCapped` is set and total is the limit. */
  total: number;
  totalCapped: boolean;
  nextCursor: string | null;
  prevCursor: string | null;
}

export function encodeCursor(cursor: KeysetCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

export function decodeCursor(value: string, keyType: "string" | "date"): KeysetCursor {
  try {
    const c = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as KeysetCursor;
    const keyOk =
      typeof c.k === "string" && c.k.length <= 400 && (keyType === "string" || !Number.isNaN(Date.parse(c.k)));
    if (keyOk && typeof c.i === "string" && c.i.length <= 100 && (c.d === "next" || c.d === "prev")) return c;
  } catch {
    // falls through to the error
  }
  throw new ValidationError({ cursor: ["Not a cursor from this list: start again from the first page."] });
}

export interface KeysetQuery<Row, Where> {
  /** The sort key's field name (with `id` as the tie-breaker), and whether it holds text or dates. */
  key: string;
  keyType: "string" | "date";
  keyOf: (row: Row) => string | Date;
  idOf: (row: Row) => string;
  dir: Direction;
  pageSize: number;
  cursor?: string;
  /** The list's filter. */
  where: Where;
  /** Reads rows matching `where` in the given order, at most `take`. */
  find: (where: Where, order: Direction, take: number) => Promise<Row[]>;
  /** Counts rows matching `where`, up to `limit` (read no further than that). */
  count: (where: Where, limit: number) => Promise<number>;
  /** Combines two Prisma-style conditions. */
  and: (a: Where, b: Where) => Where;
  countLimit?: number;
}

/** One page of a list in (key, id) order, with the cursors of its neighbours. */
export async function keysetPage<Row, Where>(q: KeysetQuery<Row, Where>): Promise<KeysetPage<Row>> {
  const limit = q.countLimit ?? 10_000;
  const cursor = q.cursor ? decodeCursor(q.cursor, q.keyType) : null;
  const forward = !cursor || cursor.d === "next";
  // Walking backwards reads the list's order reversed, then flips the page.
  const order: Direction = forward ? q.dir : q.dir === "desc" ? "asc" : "desc";
  let where = q.where;
  if (cursor) {
    const at = q.keyType === "date" ? new Date(cursor.k) : cursor.k;
    const [cmp, cmpOrEqual] = order === "desc" ? (["lt", "lte"] as const) : (["gt", "gte"] as const);
    // The first condition repeats what the OR implies: it lets PostgreSQL start the index scan at
    // the cursor instead of walking (and filtering) every row before it.
    const keyset = {
      [q.key]: { [cmpOrEqual]: at },
      OR: [{ [q.key]: { [cmp]: at } }, { [q.key]: at, id: { [cmp]: cursor.i } }],
    } as Where;
    where = q.and(q.where, keyset);
  }
  const [found, total] = await Promise.all([q.find(where, order, q.pageSize + 1), q.count(q.where, limit + 1)]);
  const more = found.length > q.pageSize;
  const rows = found.slice(0, q.pageSize);
  if (!forward) rows.reverse();
  const hasNext = forward ? more : true;
  const hasPrev = forward ? !!cursor : more;
  const cursorAt = (row: Row, d: KeysetCursor["d"]) => {
    const key = q.keyOf(row);
    return encodeCursor({ k: key instanceof Date ? key.toISOString() : key, i: q.idOf(row), d });
  };
  return {
    rows,
    total: Math.min(total, limit),
    totalCapped: total > limit,
    nextCursor: hasNext && rows.length ? cursorAt(rows[rows.length - 1], "next") : null,
    prevCursor: hasPrev && rows.length ? cursorAt(rows[0], "prev") : null,
  };
}
