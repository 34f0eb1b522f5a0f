import "server-only";
import { env } from "@/lib/env";
import { recordAudit } from "../audit/record";
import { type Db, prisma } from "../db";

// Rate limits on the paths machines call at speed (/oauth/token, introspection, decisions): per
// client and per source address, in one-minute windows, shared by every instance on one database.
// Each process counts in memory (no write on the request's path) and adds its counts to the
// database every quarter second, reading back the installation's totals, so a limit holds across
// instances to within what they can send in a quarter second. A limit that trips is recorded once
// per key and window, by whichever process (worker or instance) claims the trip first in the
// database; the requests refused after it are answered 429 with Retry-After.

export const WINDOW_MS = 60_000;
export const FLUSH_MS = 250;

export type LimitKind = "token" | "introspection" | "decisions" | "address" | "registration";

export function limitFor(kind: LimitKind): number {
  const config = env();
  return {
    token: config.RATE_LIMIT_TOKEN_PER_MINUTE,
    introspection: config.RATE_LIMIT_INTROSPECTION_PER_MINUTE,
    decisions: config.RATE_LIMIT_DECISIONS_PER_MINUTE,
    address: config.RATE_LIMIT_PER_ADDRESS_PER_MINUTE,
    registration: config.RATE_LIMIT_REGISTRATION_PER_MINUTE,
  }[kind];
}

export type Verdict =
  | { ok: true }
  | {
      ok: false;
      retryAfterSeconds: number;
      /** The first refusal of the key in its window in this process. */
      tripped: boolean;
      window: number;
    };

interface Counter {
  window: number;
  /** Counted here since the last flush. */
  local: number;
  /** Being flushed right now. */
  flushing: number;
  /** The installation's total at the last flush (this process's flushed counts included). */
  known: number;
  tripped: boolean;
}

export class RateLimiter {
  private counters = new Map<string, Counter>();
  private timer: NodeJS.Timeout | undefined;
  private lastPrune = 0;

  constructor(private readonly db: () => Promise<Db>) {}

  /** Counts one request against `limit` a minute (0: no limit), or refuses it with the wait. */
  hit(key: string, limit: number, now = Date.now()): Verdict {
    if (limit <= 0) return { ok: true };
    const window = Math.floor(now / WINDOW_MS);
    let c = this.counters.get(key);
    if (!c || c.window !== window) {
      c = { window, local: 0, flushing: 0, known: 0, tripped: false };
      this.counters.set(key, c);
    }
    if (c.known + c.flushing + c.local + 1 > limit) {
      const tripped = !c.tripped;
      c.tripped = true;
      const retryAfterSeconds = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
      return { ok: false, retryAfterSeconds, tripped, window };
    }
    c.local++;
    this.schedule();
    return { ok: true };
  }

  private schedule() {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch((error) => console.error("rate-limit counts could not be shared", error));
    }, FLUSH_MS);
    this.timer.unref();
  }

  /**
   * Whether this process is the installation's first to see `key` trip in `window`: each process
   * (every worker, every instance) trips on its own, and the trip is to be recorded once.
   */
  async claimTrip(key: string, window: number): Promise<boolean> {
    const db = await this.db();
    const rows = await db.$queryRaw<{ key: string }[]>`
      INSERT INTO rate_limit_counters (key, window_start, count)
      VALUES (${`tripped:${key}`}, ${new Date(window * WINDOW_MS)}, 1)
      ON CONFLICT (key, window_start) DO NOTHING
      RETURNING key`;
    return rows.length > 0;
  }

  /** Adds this process's counts to the installation's and reads the totals back. */
  async flush(now = Date.now()): Promise<void> {
    const window = Math.floor(now / WINDOW_MS);
    const batch: [string, Counter][] = [];
    for (const [key, c] of this.counters) {
      if (c.window < window) this.counters.delete(key);
      else if (c.local > 0) {
        c.flushing = c.local;
        c.local = 0;
        batch.push([key, c]);
      }
    }
    if (!batch.length) return;
    const db = await this.db();
    try {
      const rows = await db.$queryRaw<{ key: string; count: number }[]>`
        INSERT INTO rate_limit_counters AS r (key, window_start, count)
        SELECT * FROM unnest(${batch.map(([k]) => k)}::text[],
                             ${batch.map(([, c]) => new Date(c.window * WINDOW_MS))}::timestamptz[],
                             ${batch.map(([, c]) => c.flushing)}::int[])
        ON CONFLICT (key, window_start) DO UPDATE SET count = r.count + EXCLUDED.count
        RETURNING key, count`;
      const totals = new Map(rows.map((r) => [r.key, Number(r.count)]));
      for (const [key, c] of batch) {
        c.known = totals.get(key) ?? c.known + c.flushing;
        c.flushing = 0;
      }
    } catch (error) {
      // Not shared this time: the counts stay with this process and go with the next flush.
      for (const [, c] of batch) {
        c.local += c.flushing;
        c.flushing = 0;
      }
      throw error;
    }
    if (now - this.lastPrune > WINDOW_MS) {
      this.lastPrune = now;
      await db.rateLimitCounter.deleteMany({ where: { windowStart: { lt: new Date((window - 1) * WINDOW_MS) } } });
    }
  }
}

let shared: RateLimiter | undefined;

/** The process's limiter. */
export function limiter(): RateLimiter {
  shared ??= new RateLimiter(prisma);
  return shared;
}

/**
 * Counts a request for a limit and, when it trips (the first refusal of the key in its window),
 * records that on the audit store before answering. Answers the seconds to wait, or 0.
 */
export async function checkLimit(
  kind: LimitKind,
  subject: string,
  audit: {
    path: string;
    tenantId?: string | null;
    actor?: { type: "agent" | "client" | "anonymous"; id?: string; label?: string };
  },
): Promise<number> {
  const limit = limitFor(kind);
  const key = `${kind}:${subject}`;
  const verdict = limiter().hit(key, limit);
  if (verdict.ok) return 0;
  if (verdict.tripped && (await limiter().claimTrip(key, verdict.window))) {
    await recordAudit(await prisma(), {
      action: "rate_limit.exceeded",
      outcome: "denied",
      actor: audit.actor ?? { type: "anonymous", label: subject },
      tenantId: audit.tenantId ?? null,
      target: { type: "rate_limit", id: `${kind}:${subject}` },
      reason: `more than ${limit} requests a minute (${kind === "address" || kind === "registration" ? "from this address" : `per ${kind === "decisions" ? "agent" : "client"}`})`,
      data: { kind, limit, path: audit.path, retry_after_seconds: verdict.retryAfterSeconds },
    });
  }
  return verdict.retryAfterSeconds;
}
