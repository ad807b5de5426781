// One worker per pod, as upstream's podWorkers: syncs of a pod never overlap, a wake-up during a sync
// runs one more sync right after (level-triggered: the next sync reads everything afresh), and each sync
// may ask to run again after a delay (a back-off ending) or falls back to a periodic resync.
import type { Logger } from 'pino';
import type { Clock, Timer } from '../../client/index.js';

/** Syncs the pod with this uid; answers when to sync again (ms), or undefined for the periodic resync. */
export type SyncFn = (uid: string) => Promise<number | undefined>;

interface WorkerState {
  running: boolean;
  pending: boolean;
  timer: Timer | undefined;
  failures: number;
}

export interface PodWorkersOptions {
  /** Periodic resync of every pod, in ms (upstream's default is 1 min; Skiff uses 10 s). */
  resyncMs?: number;
}

export class PodWorkers {
  private readonly workers = new Map<string, WorkerState>();
  private readonly resyncMs: number;
  private stopped = false;
  private readonly idleWaiters: Array<() => void> = [];

  constructor(
    private readonly sync: SyncFn,
    private readonly clock: Clock,
    private readonly log: Logger,
    opts: PodWorkersOptions = {},
  ) {
    this.resyncMs = opts.resyncMs ?? 10_000;
  }

  /** Wakes the pod's worker: a sync runs now, or right after the one in progress. */
  update(uid: string): void {
    if (this.stopped) return;
    let w = this.workers.get(uid);
    if (!w) {
      w = { running: false, pending: false, timer: undefined, failures: 0 };
      this.workers.set(uid, w);
    }
    if (w.running) {
      w.pending = true;
      return;
    }
    w.timer?.cancel();
    w.timer = undefined;
    void this.run(uid, w);
  }

  /** Forgets a pod (after its removal); a sync in progress finishes. */
  forget(uid: string): void {
    const w = this.workers.get(uid);
    w?.timer?.cancel();
    this.workers.delete(uid);
  }

  /** Uids with a worker. */
  uids(): string[] {
    return [...this.workers.keys()];
  }

  /** True while any sync runs (tests). */
  busy(): boolean {
    return [...this.workers.values()].some((w) => w.running);
  }

  /** Resolves once no sync is running. */
  idle(): Promise<void> {
    if (!this.busy()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    for (const w of this.workers.values()) w.timer?.cancel();
  }

  private async run(uid: string, w: WorkerState): Promise<void> {
    w.running = true;
    let next: number | undefined;
    try {
      next = await this.sync(uid);
      w.failures = 0;
    } catch (err) {
      w.failures++;
      next = Math.min(1000 * 2 ** Math.min(w.failures, 5), 30_000);
      this.log.warn({ uid, err: err instanceof Error ? err.message : String(err) }, 'pod sync failed');
    }
    w.running = false;
    if (!this.busy()) this.idleWaiters.splice(0).forEach((r) => r());
    if (this.stopped || this.workers.get(uid) !== w) return;
    if (w.pending) {
      w.pending = false;
      this.update(uid);
      return;
    }
    const delay = next ?? this.resyncMs;
    w.timer = this.clock.setTimer(() => {
      w.timer = undefined;
      this.update(uid);
    }, delay);
  }
}
