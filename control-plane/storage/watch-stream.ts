// One watcher's delivery queue, shared by both backends. Events are queued by the backend (catch-up, then
// live) and handed to the handlers on a later turn of the event loop, never from inside `watch()` or a
// write, so a handler can safely call back into the store. The stream drops any event at or below the last
// revision it queued: catch-up and live may overlap, and this is where duplicates die.
import type { KubeObject } from '../../api/object.js';
import type { StoreEvent, StoreWatch, StoreWatchHandlers } from './store.js';

export class WatchStream<T extends KubeObject = KubeObject> implements StoreWatch {
  private queue: StoreEvent<T>[] = [];
  private head = 0;
  private scheduled = false;
  private stopped = false;
  private failure: Error | undefined;

  constructor(
    readonly prefix: string,
    /** The revision of the last event queued; starts at the watch's `afterRevision`. */
    private lastRevision: number,
    private readonly handlers: StoreWatchHandlers<T>,
    private readonly onStop: () => void = () => {},
  ) {}

  get lastQueuedRevision(): number {
    return this.lastRevision;
  }

  get active(): boolean {
    return !this.stopped && this.failure === undefined;
  }

  push(event: StoreEvent<T>): void {
    if (!this.active || event.revision <= this.lastRevision) return;
    this.lastRevision = event.revision;
    this.queue.push(event);
    this.schedule();
  }

  /** Ends the stream with an error, delivered after the events already queued. */
  fail(err: Error): void {
    if (!this.active) return;
    this.failure = err;
    this.onStop();
    this.schedule();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.queue = [];
    this.head = 0;
    this.onStop();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.drain());
  }

  private drain(): void {
    this.scheduled = false;
    while (!this.stopped && this.head < this.queue.length) {
      const event = this.queue[this.head++] as StoreEvent<T>;
      try {
        this.handlers.onEvent(event);
      } catch (err) {
        // A throwing handler cannot be given the rest of the stream in order; end it loudly instead.
        this.queue = [];
        this.head = 0;
        this.failure = err instanceof Error ? err : new Error(String(err));
        this.onStop();
        break;
      }
    }
    this.queue = [];
    this.head = 0;
    if (this.stopped || this.failure === undefined) return;
    const err = this.failure;
    this.stopped = true;
    this.handlers.onError(err);
  }
}
