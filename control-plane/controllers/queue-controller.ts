// The shape every reconciler here shares: informer handlers only enqueue keys, a de-duplicating,
// rate-limited WorkQueue hands each key to one worker at a time, and reconcile(key) does the work from the
// caches. A failed reconcile is requeued with per-key exponential back-off by runWorkers.
import { ConflictError, ForbiddenError, NotFoundError } from '../../api/errors.js';
import { WorkQueue, keyOf, runWorkers, type Logger } from '../../client/index.js';
import type { KubeObject } from '../../api/object.js';
import type { Controller, ControllerContext } from './controller-context.js';

/** How soon a reconcile that hit a 409 runs again, in ms: long enough for the informer to catch up. */
const conflictRetryMs = 50;

export abstract class QueueController implements Controller {
  readonly queue: WorkQueue<string>;
  protected readonly log: Logger;

  constructor(
    readonly name: string,
    protected readonly ctx: ControllerContext,
  ) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.log = ctx.logger.child({ controller: name });
  }

  /** Brings the object of `key` (namespace/name) to its desired state; throws to be retried with back-off. */
  abstract reconcile(key: string): Promise<void>;

  enqueue(obj: KubeObject): void {
    this.queue.add(keyOf(obj));
  }

  enqueueAfter(obj: KubeObject, delayMs: number): void {
    this.queue.addAfter(keyOf(obj), delayMs);
  }

  run(workers: number): Promise<void> {
    return runWorkers(this.queue, workers, (key) => this.reconcileSettled(key), { logger: this.log, name: this.name });
  }

  /**
   * reconcile, minus the failures a retry cannot fix: the object (or its namespace) went away while we
   * worked, which the informers will report as an event of their own. Everything else is retried.
   */
  private async reconcileSettled(key: string): Promise<void> {
    try {
      await this.reconcile(key);
    } catch (err) {
      if (err instanceof NotFoundError || isNamespaceTerminating(err)) {
        this.log.debug({ key, err: err.message }, 'object or namespace gone during reconcile; not retried');
        return;
      }
      if (err instanceof ConflictError) {
        // Our cache was behind a write (often our own): routine for optimistic concurrency, so retry soon
        // and quietly instead of logging an error.
        this.log.debug({ key, err: err.message }, 'conflict during reconcile; retrying');
        this.queue.addAfter(key, conflictRetryMs);
        return;
      }
      throw err;
    }
  }

  stop(): void {
    this.queue.shutDown();
  }
}

/** Splits a work-queue key into namespace and name (cluster-scoped keys have no namespace). */
export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const slash = key.indexOf('/');
  if (slash < 0) return { namespace: undefined, name: key };
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** Creating in a namespace being deleted fails until it is gone; the namespace controller cleans up. */
export function isNamespaceTerminating(err: unknown): err is ForbiddenError {
  return err instanceof ForbiddenError && /being terminated/.test(err.message);
}
