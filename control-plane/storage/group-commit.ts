// Group commit: every write that arrives before the next turn of the event loop joins one SQLite
// transaction, so N concurrent writers pay for one fsync instead of N. Each caller's promise settles only
// after that transaction committed (or failed), so an acknowledged write is a durable one.
import type Database from 'better-sqlite3';

interface Pending {
  op: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
  ok?: boolean;
  value?: unknown;
}

export interface GroupCommitHooks {
  /** Before the batch's transaction opens (e.g. remember in-memory state to restore on failure). */
  beforeBatch(): void;
  /** After a successful commit, before any caller's promise settles (e.g. fan out watch events). */
  afterCommit(): void;
  /** After the transaction rolled back as a whole. */
  afterRollback(): void;
}

export class GroupCommitter {
  private pending: Pending[] = [];
  private scheduled = false;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => {};

  constructor(
    private readonly db: Database.Database,
    private readonly hooks: GroupCommitHooks,
    /** Upper bound on one batch, so one transaction never holds the event loop for long. */
    private readonly maxBatch = 1000,
  ) {}

  /**
   * Queues `op` to run inside the next batch transaction. `op` runs in its own savepoint: when it throws
   * (a conflict, say) only its own writes roll back and only its caller sees the error.
   */
  run<T>(op: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ op, resolve: resolve as (v: unknown) => void, reject });
      this.schedule();
    });
  }

  /** Resolves once every write queued so far has settled. */
  flushed(): Promise<void> {
    return this.pending.length === 0 && !this.scheduled ? Promise.resolve() : this.idle;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.idle = new Promise((resolve) => (this.markIdle = resolve));
    // setImmediate, not a microtask: callers that await something before writing still join the batch.
    setImmediate(() => this.flush());
  }

  private flush(): void {
    const batch = this.pending.splice(0, this.maxBatch);
    const savepoint = this.db.transaction((p: Pending) => p.op());
    const all = this.db.transaction((items: Pending[]) => {
      for (const p of items) {
        try {
          p.value = savepoint(p);
          p.ok = true;
        } catch (err) {
          p.ok = false;
          p.value = err;
        }
      }
    });
    this.hooks.beforeBatch();
    let failure: unknown;
    try {
      all.immediate(batch);
    } catch (err) {
      failure = err;
      this.hooks.afterRollback();
    }
    if (failure === undefined) this.hooks.afterCommit();
    for (const p of batch) {
      if (failure !== undefined) p.reject(failure);
      else if (p.ok) p.resolve(p.value);
      else p.reject(p.value);
    }
    this.scheduled = false;
    if (this.pending.length > 0) {
      const done = this.markIdle;
      this.schedule();
      // The new batch's idle promise supersedes the old one; chain so earlier waiters still settle.
      void this.idle.then(done);
      return;
    }
    this.markIdle();
  }
}
