// The controllers' work queue, with client-go's util/workqueue semantics in one class:
//  - de-duplicating: a key added while already queued is queued once;
//  - never concurrent with itself: a key added while being processed is held back ("dirty") and queued
//    again when the worker calls done(), so a reconcile never races another reconcile of the same key;
//  - delaying: addAfter(key, ms) keeps the earliest pending deadline per key;
//  - rate limited: addRateLimited(key) waits per the item rate limiter; forget(key) resets its back-off.
import { RealClock, type Clock, type Timer } from './clock.js';
import { defaultControllerRateLimiter, type ItemRateLimiter } from './rate-limiter.js';

export interface WorkQueueOptions<T> {
  clock?: Clock;
  /** Defaults to client-go's controller limiter (5 ms doubling to 1000 s per item, 10 qps / 100 overall). */
  rateLimiter?: ItemRateLimiter<T>;
}

interface Waiting {
  readyAtMs: number;
  timer: Timer;
}

export class WorkQueue<T = string> {
  private readonly clock: Clock;
  private readonly limiter: ItemRateLimiter<T>;
  /** Keys ready to hand out, in order. */
  private queue: T[] = [];
  /** Keys that need processing: queued, or added again while being processed. */
  private readonly dirty = new Set<T>();
  /** Keys handed out by get() and not yet done(). */
  private readonly processing = new Set<T>();
  /** Keys waiting for addAfter/addRateLimited deadlines. */
  private readonly waiting = new Map<T, Waiting>();
  /** get() calls blocked on an empty queue, oldest first. */
  private getters: Array<(key: T | undefined) => void> = [];
  private shuttingDown = false;

  constructor(options: WorkQueueOptions<T> = {}) {
    this.clock = options.clock ?? new RealClock();
    this.limiter = options.rateLimiter ?? defaultControllerRateLimiter<T>(this.clock);
  }

  /** Marks `key` as needing processing. Ignored after shutDown. */
  add(key: T): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    // A key being processed is re-queued by done(), never handed to a second worker at the same time.
    if (this.processing.has(key)) return;
    this.enqueue(key);
  }

  /** Adds `key` after `delayMs`; a key already waiting keeps whichever deadline is earlier. */
  addAfter(key: T, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const readyAtMs = this.clock.now() + delayMs;
    const existing = this.waiting.get(key);
    if (existing && existing.readyAtMs <= readyAtMs) return;
    existing?.timer.cancel();
    const timer = this.clock.setTimer(() => {
      this.waiting.delete(key);
      this.add(key);
    }, delayMs);
    this.waiting.set(key, { readyAtMs, timer });
  }

  /** Adds `key` once the rate limiter allows: exponential per-key back-off after repeated failures. */
  addRateLimited(key: T): void {
    this.addAfter(key, this.limiter.when(key));
  }

  /** Clears `key`'s failure history, so its next addRateLimited starts from the base delay. */
  forget(key: T): void {
    this.limiter.forget(key);
  }

  /** Failures recorded for `key` since it was last forgotten. */
  numRequeues(key: T): number {
    return this.limiter.retries(key);
  }

  /**
   * The next key to process, waiting while the queue is empty. Undefined once the queue is shut down and
   * drained. The caller must call done(key) when finished with it.
   */
  get(): Promise<T | undefined> {
    const key = this.take();
    if (key !== undefined || this.shuttingDown) return Promise.resolve(key);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Ends processing of `key`; re-queues it if it was added meanwhile. */
  done(key: T): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) this.enqueue(key);
  }

  /** Keys ready to be handed out (not counting those waiting for a delay or being processed). */
  len(): number {
    return this.queue.length;
  }

  /** Stops accepting keys, cancels delayed adds, and wakes every blocked get() with undefined. */
  shutDown(): void {
    this.shuttingDown = true;
    for (const w of this.waiting.values()) w.timer.cancel();
    this.waiting.clear();
    const getters = this.getters;
    this.getters = [];
    for (const resolve of getters) resolve(this.take());
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  private enqueue(key: T): void {
    const getter = this.getters.shift();
    if (getter) {
      this.dirty.delete(key);
      this.processing.add(key);
      getter(key);
      return;
    }
    this.queue.push(key);
  }

  private take(): T | undefined {
    if (this.queue.length === 0) return undefined;
    const key = this.queue.shift() as T;
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }
}
