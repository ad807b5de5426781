// The worker loop every controller runs over its work queue (client-go's processNextWorkItem pattern).
import { defaultLogger, type Logger } from './log.js';
import type { WorkQueue } from './work-queue.js';

export interface RunWorkersOptions {
  logger?: Logger;
  /** A name for the logs, such as the controller's. */
  name?: string;
}

/**
 * Runs `workers` concurrent loops that take keys from `queue` and reconcile them. On success the key's
 * back-off is forgotten; on error the error is logged once with the key and the key is re-added with rate
 * limiting, so a persistently failing key backs off exponentially instead of spinning. Resolves when the
 * queue is shut down and every loop has finished its current key.
 */
export async function runWorkers(
  queue: WorkQueue<string>,
  workers: number,
  reconcile: (key: string) => Promise<void>,
  options: RunWorkersOptions = {},
): Promise<void> {
  const log = options.logger ?? defaultLogger();
  const loop = async (): Promise<void> => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        await reconcile(key);
        queue.forget(key);
      } catch (err) {
        log.error({ err, key, worker: options.name, retries: queue.numRequeues(key) }, 'reconcile failed; requeued');
        queue.addRateLimited(key);
      } finally {
        queue.done(key);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, workers) }, () => loop()));
}
