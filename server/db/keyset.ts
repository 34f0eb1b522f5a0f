import "server-only";
import { ValidationError } from "@/lib/errors";
import type { CursorPage, Direction } from "@/lib/schemas/pagination";

// Keyset pages: a list ordered by (key, id) is read from just after (or before) the row a cursor
// names, so the millionth page costs what the first does. One extra row tells whether there is
// more; counts stop at a limit. Every list that pages by cursor (grants, the audit log, people,
// invitations) goes through keysetPage.

export type { Direction };

/** next: the rows after the cursor's row in the list's order; prev: the rows before it. */
type Step = "next" | "prev";

/** The row a cursor names: its sort key, and its id where keys repeat. */
export interface Position<K> {
  key: K;
  id: string | null;
  step: Step;
}

/**
 * How one list writes its cursors. They are opaque to callers, but clients keep them between
 * requests, so a list's format does not change.
 */
export interface CursorFormat<K> {
  write(at: Position<K>): string;
  /** The position, or null for anything this list did not hand out. */
  read(value: string): Position<K> | null;
}

const STEPS: Record<string, Step> = { next: "next", prev: "prev" };

/**
 * base64url JSON `{k, i, d}`: the key (a string, or a date as ISO 8601), the id and the step.
 * `field` renames the key's member (the grants list has always written `c`).
 */
export function jsonCursor(type: "string"): CursorFormat<string>;
export function jsonCursor(type: "date", field?: string): CursorFormat<Date>;
export function jsonCursor(type: "string" | "date", field = "k"): CursorFormat<string> | CursorFormat<Date> {
  const write = (at: Position<string | Date>) => {
    const key = at.key instanceof Date ? at.key.toISOString() : at.key;
    return Buffer.from(JSON.stringify({ [field]: key, i: at.id, d: at.step })).toString("base64url");
  };
  const read = (value: string) => {
    try {
      const c = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
      const k = c?.[field];
      const keyOk = typeof k === "string" && k.length <= 400 && (type === "string" || !Number.isNaN(Date.parse(k)));
      const step = typeof c.d === "string" ? STEPS[c.d] : undefined;
      if (keyOk && typeof c.i === "string" && c.i.length <= 100 && step) {
        return { key: type === "date" ? new Date(k) : k, id: c.i as string, step };
      }
    } catch {
      // not JSON: not a cursor of this list
    }
    return null;
  };
  return { write, read } as CursorFormat<string> | CursorFormat<Date>;
}

/** The audit log's: "n" (next) or "p" (prev) and the sequence number, which is unique. */
export const seqCursor: CursorFormat<bigint> = {
  write: (at) => `${at.step === "next" ? "n" : "p"}${at.key}`,
  read: (value) => {
    const m = /^([np])(\d{1,19})$/.exec(value);
    return m ? { key: BigInt(m[2]), id: null, step: m[1] === "n" ? "next" : "prev" } : null;
  },
};

export interface KeysetQuery<Row, Where, K> {
  /** The sort key's Prisma field. */
  key: string;
  keyOf: (row: Row) => K;
  /** The tie-breaker where keys repeat (the `id` field); left out when the key is unique. */
  idOf?: (row: Row) => string;
  cursors: CursorFormat<K>;
  /** The order as the URL and the API name it (the page says which it is in). */
  sort: string;
  dir: Direction;
  pageSize: number;
  cursor?: string;
  /** The list's filter. */
  where: Where;
  /** Reads rows matching `where` in the given order (the key, then the id), at most `take`. */
  find: (where: Where, order: Direction, take: number) => Promise<Row[]>;
  /** Counts rows matching `where`, reading at most `take` of them. */
  count: (where: Where, take: number) => Promise<number>;
  /** Where counting stops (10,000 unless said). */
  countLimit?: number;
}

/** One page of a list in (key, id) order, with the cursors of its neighbours. */
export async function keysetPage<Row, Where, K>(q: KeysetQuery<Row, Where, K>): Promise<CursorPage<Row>> {
  const limit = q.countLimit ?? 10_000;
  const cursor = q.cursor ? q.cursors.read(q.cursor) : null;
  if (q.cursor && !cursor) {
    throw new ValidationError({ cursor: ["Not a cursor from this list: start again from the first page."] });
  }
  const forward = !cursor || cursor.step === "next";
  // Walking backwards reads the list's order reversed, then flips the page.
  const order: Direction = forward ? q.dir : q.dir === "desc" ? "asc" : "desc";
  const where = cursor ? ({ AND: [q.where, past(q.key, cursor, order)] } as Where) : q.where;
  const [found, total] = await Promise.all([q.find(where, order, q.pageSize + 1), q.count(q.where, limit + 1)]);
  const more = found.length > q.pageSize;
  const rows = found.slice(0, q.pageSize);
  if (!forward) rows.reverse();
  const hasNext = forward ? more : true;
  const hasPrev = forward ? !!cursor : more;
  const cursorAt = (row: Row, step: Step) => q.cursors.write({ key: q.keyOf(row), id: q.idOf?.(row) ?? null, step });
  return {
    rows,
    total: Math.min(total, limit),
    totalCapped: total > limit,
    nextCursor: hasNext && rows.length ? cursorAt(rows[rows.length - 1], "next") : null,
    prevCursor: hasPrev && rows.length ? cursorAt(rows[0], "prev") : null,
    pageSize: q.pageSize,
    sort: q.sort,
    dir: q.dir,
  };
}

/** The rows strictly past a position in the order they are read. */
function past<K>(key: string, at: Position<K>, order: Direction) {
  const [cmp, cmpOrEqual] = order === "desc" ? (["lt", "lte"] as const) : (["gt", "gte"] as const);
  if (at.id === null) return { [key]: { [cmp]: at.key } };
  // The first condition repeats what the OR implies: it lets PostgreSQL start the index scan at
  // the cursor instead of walking (and filtering) every row before it.
  return {
    [key]: { [cmpOrEqual]: at.key },
    OR: [{ [key]: { [cmp]: at.key } }, { [key]: at.key, id: { [cmp]: at.id } }],
  };
}
