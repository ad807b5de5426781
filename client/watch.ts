// A watch (GET ...?watch=1): the decoded event stream of one long-running request, consumed as an async
// iterator (or with forEach), stoppable at any time. An ERROR event ends the stream by throwing its
// Status as a typed error, so "resourceVersion too old" surfaces as ExpiredError (HTTP 410).
import type { IncomingMessage } from 'node:http';
import type { KubeObject, Status, WatchEvent } from '../api/object.js';
import type { ResourceInfo } from '../api/resources.js';
import { resourcePath } from './resource-path.js';
import { listParams, type RestClient } from './rest-client.js';
import { errorFromStatus } from './status-error.js';
import { WatchDecoder } from './watch-decoder.js';

export interface WatchOptions {
  /** Unset watches every namespace of a namespaced resource. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Deliver changes after this version; unset starts with synthetic ADDED events for the current state. */
  resourceVersion?: string;
  /** Ask for BOOKMARK events that carry only a newer resourceVersion. */
  allowWatchBookmarks?: boolean;
  /** Server-side duration limit; the server ends the stream normally when it passes. */
  timeoutSeconds?: number;
  /** Aborting it stops the watch, as stop() does. */
  signal?: AbortSignal;
}

/** Decoded events buffered before the response is paused until the consumer catches up. */
const highWaterEvents = 1000;

/** Opens a watch; resolves once the server accepted it, rejects with a typed error if it did not. */
export async function watch<T extends KubeObject = KubeObject>(
  client: RestClient,
  r: ResourceInfo,
  opts: WatchOptions = {},
): Promise<WatchStream<T>> {
  const params = listParams({
    labelSelector: opts.labelSelector,
    fieldSelector: opts.fieldSelector,
    resourceVersion: opts.resourceVersion,
  });
  params.set('watch', '1');
  if (opts.allowWatchBookmarks) params.set('allowWatchBookmarks', 'true');
  if (opts.timeoutSeconds !== undefined) params.set('timeoutSeconds', String(opts.timeoutSeconds));
  const controller = new AbortController();
  const onOuterAbort = (): void => controller.abort();
  if (opts.signal?.aborted) controller.abort();
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  try {
    const res = await client.stream(`${resourcePath(r, { namespace: opts.namespace })}?${params.toString()}`, controller.signal);
    const stream = new WatchStream<T>(res, controller);
    res.once('close', () => opts.signal?.removeEventListener('abort', onOuterAbort));
    return stream;
  } catch (err) {
    opts.signal?.removeEventListener('abort', onOuterAbort);
    throw err;
  }
}

export class WatchStream<T = KubeObject> implements AsyncIterable<WatchEvent<T>> {
  private readonly decoder = new WatchDecoder<T>();
  private readonly buffer: WatchEvent<T>[] = [];
  private failure: Error | undefined;
  private ended = false;
  private stopped = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly res: IncomingMessage,
    private readonly controller: AbortController,
  ) {
    res.on('data', (chunk: Buffer) => this.accept(() => this.decoder.write(chunk)));
    res.on('end', () => {
      this.accept(() => this.decoder.end());
      this.finish();
    });
    res.on('error', (err) => this.finish(err));
    // 'close' without 'end' means the connection dropped mid-stream.
    res.on('close', () => this.finish(res.complete ? undefined : new Error('watch stream closed unexpectedly')));
    controller.signal.addEventListener('abort', () => this.stop(), { once: true });
    // Stopped while the response was on its way: the abort event has already fired.
    if (controller.signal.aborted) this.stop();
  }

  /** Ends the watch: aborts the request; the iterator finishes without an error. Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.ended = true;
    if (!this.controller.signal.aborted) this.controller.abort();
    this.res.destroy();
    this.notify();
  }

  /** Whether stop() was called (as opposed to the server ending the stream). */
  get isStopped(): boolean {
    return this.stopped;
  }

  /** Calls `fn` for each event in order, awaiting it; resolves when the stream ends. */
  async forEach(fn: (event: WatchEvent<T>) => void | Promise<void>): Promise<void> {
    for await (const ev of this) await fn(ev);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent<T>> {
    try {
      for (;;) {
        // After stop() nothing more is delivered, not even events already buffered.
        if (this.stopped) return;
        const ev = this.buffer.shift();
        if (ev) {
          if (this.res.isPaused() && this.buffer.length < highWaterEvents / 2) this.res.resume();
          yield ev;
          continue;
        }
        if (this.failure) throw this.failure;
        if (this.ended) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      // A consumer that breaks out of the loop no longer wants events.
      if (!this.ended && !this.failure) this.stop();
    }
  }

  private accept(decode: () => WatchEvent<T>[]): void {
    if (this.ended || this.failure) return;
    let events: WatchEvent<T>[];
    try {
      events = decode();
    } catch (err) {
      this.finish(err as Error);
      this.res.destroy();
      return;
    }
    for (const ev of events) {
      if (ev.type === 'ERROR') {
        const status = ev.object as unknown as Status;
        this.finish(errorFromStatus(status.code ?? 500, status));
        this.res.destroy();
        return;
      }
      this.buffer.push(ev);
    }
    if (this.buffer.length >= highWaterEvents) this.res.pause();
    this.notify();
  }

  private finish(err?: Error): void {
    if (this.ended || this.failure) return;
    if (err && !this.stopped) this.failure = err;
    else this.ended = true;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
