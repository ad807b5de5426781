// Periodic compaction for either backend, the way upstream's apiserver does it: at every tick, compact to
// the revision observed at the previous tick. History of at least one interval is therefore always kept, so
// a watcher that fell behind by less than an interval can resume without a relist.
import { pino, type Logger } from 'pino';
import type { Store } from './store.js';

export interface CompactorOptions {
  /** Time between compactions; default 5 minutes, as upstream's --etcd-compaction-interval. */
  intervalMs?: number;
  logger?: Logger;
}

export const defaultCompactionIntervalMs = 5 * 60 * 1000;

export class Compactor {
  private readonly intervalMs: number;
  private readonly log: Logger;
  private timer: NodeJS.Timeout | undefined;
  /** The revision seen at the previous tick: the next compaction target. */
  private observedRevision = 0;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    options: CompactorOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? defaultCompactionIntervalMs;
    this.log = options.logger ?? pino({ name: 'compactor' });
  }

  /** Starts ticking; the first compaction happens two intervals from now. Idempotent. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.tick());
    }, this.intervalMs);
    // A compactor alone must not keep the process alive.
    this.timer.unref();
  }

  /** Stops ticking and waits for a compaction in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One step: compact to the previous tick's revision, then remember the current one. Exposed for tests. */
  async tick(): Promise<void> {
    try {
      const target = this.observedRevision;
      if (target > 0 && target > (await this.store.compactedRevision())) {
        await this.store.compact(target);
        this.log.info({ revision: target }, 'compacted');
      }
      this.observedRevision = await this.store.currentRevision();
    } catch (err) {
      // The next tick retries; a failed compaction only means history is kept a little longer.
      this.log.error({ err }, 'compaction failed');
    }
  }
}
