import "server-only";
import type { Database } from "../db";
import { APPEND_BATCH, APPEND_ONE, type BuiltEvent, batchRow, eventParams } from "./statements";

// Group commit for the audit chain. Every event advances the chain's one head row, whose lock
// orders writers: one statement per event would make every audited request wait its turn for a
// commit. Events that go with no change of state (decisions, refusals) are gathered instead: those
// that arrive in the same turn of the event loop, or while a batch is committing, are appended
// together by one statement (statements.ts, APPEND_BATCH) that moves the head once. Each caller's
// promise settles when its batch has committed, so nothing is answered that is not on record, and
// the chain is the same as one event at a time (the verifier cannot tell). The tokens the
// authorization server issues ride along: each token row is inserted by the statement that
// appends its event, so the two still commit together.

/** Events per statement at most (the statement's one JSON parameter stays well under a megabyte). */
const MAX_BATCH = 256;

/** A row written with its event (an issued token), and how to write the two alone. */
export interface Companion {
  row: object;
  alone(): Promise<void>;
}

interface Pending {
  built: BuiltEvent;
  companion?: Companion;
  resolve(): void;
  reject(error: unknown): void;
}

class GroupCommit {
  private queue: Pending[] = [];
  private committing = false;
  private scheduled = false;

  constructor(private readonly db: Database) {}

  append(built: BuiltEvent, companion?: Companion): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ built, companion, resolve, reject });
      this.schedule();
    });
  }

  /** The next batch goes once this turn's events are in, and never while one is committing. */
  private schedule(): void {
    if (this.committing || this.scheduled || !this.queue.length) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.commit();
    });
  }

  private async commit(): Promise<void> {
    const batch = this.queue.splice(0, MAX_BATCH);
    this.committing = true;
    try {
      await this.write(batch);
      for (const p of batch) p.resolve();
    } catch (error) {
      if (batch.length === 1) batch[0].reject(error);
      // One event's fault must not fail the others': each is tried on its own.
      else await Promise.all(batch.map((p) => this.write([p]).then(p.resolve, p.reject)));
    } finally {
      this.committing = false;
      this.schedule();
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    if (batch.length === 1) {
      const [{ built, companion }] = batch;
      if (companion) await companion.alone();
      else await this.db.sql.run(APPEND_ONE, eventParams(built));
      return;
    }
    await this.db.sql.run(APPEND_BATCH, [
      JSON.stringify(batch.map((p, i) => batchRow(i + 1, p.built))),
      JSON.stringify(batch.flatMap((p) => (p.companion ? [p.companion.row] : []))),
    ]);
  }
}

const committers = new WeakMap<Database, GroupCommit>();

/**
 * Appends an event with the others of its moment; settles once it is committed. A companion row
 * (a token the authorization server issues) is inserted by the same statement as its event.
 */
export function appendGrouped(db: Database, built: BuiltEvent, companion?: Companion): Promise<void> {
  let committer = committers.get(db);
  if (!committer) {
    committer = new GroupCommit(db);
    committers.set(db, committer);
  }
  return committer.append(built, companion);
}
