// Rate limiters, as client-go's flowcontrol token bucket and workqueue's item limiters.
import type { Clock } from './clock.js';

/**
 * A token bucket: `qps` tokens per second refill up to `burst`. Callers reserve a token and wait the
 * returned delay, so concurrent callers queue fairly instead of polling (golang.org/x/time/rate's model:
 * the balance may go negative, each reservation pushes the next one further out).
 */
export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  constructor(
    readonly qps: number,
    readonly burst: number,
    private readonly clock: Clock,
  ) {
    if (!(qps > 0) || !(burst >= 1)) throw new Error(`token bucket needs qps > 0 and burst >= 1 (got ${qps}/${burst})`);
    this.tokens = burst;
    this.lastMs = clock.now();
  }

  /** Takes a token and returns how many milliseconds the caller must wait before using it. */
  reserve(): number {
    this.refill();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }

  /** Takes a token only if one is available now. */
  tryAccept(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Waits until a token is available (reserving it). */
  async wait(signal?: AbortSignal): Promise<void> {
    const delayMs = this.reserve();
    if (delayMs > 0) await this.clock.sleep(delayMs, signal);
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsedMs = Math.max(0, now - this.lastMs);
    this.lastMs = now;
    this.tokens = Math.min(this.burst, this.tokens + (elapsedMs / 1000) * this.qps);
  }
}

/** Decides how long an item waits before it is retried; `forget` clears its history after success. */
export interface ItemRateLimiter<T> {
  /** The delay before `item` may be processed again; counts one more failure for it. */
  when(item: T): number;
  forget(item: T): void;
  /** Failures recorded for `item` since the last `forget`. */
  retries(item: T): number;
}

/** Per-item exponential back-off: `baseDelayMs * 2^failures`, capped at `maxDelayMs`. */
export class ItemExponentialRateLimiter<T> implements ItemRateLimiter<T> {
  private failures = new Map<T, number>();

  constructor(
    readonly baseDelayMs: number,
    readonly maxDelayMs: number,
  ) {}

  when(item: T): number {
    const n = this.failures.get(item) ?? 0;
    this.failures.set(item, n + 1);
    // 2^n overflows to Infinity long after it passes any sane cap; min() keeps the result finite.
    return Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** n);
  }

  forget(item: T): void {
    this.failures.delete(item);
  }

  retries(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

/** Overall rate for all items together: a token bucket whose reservation delay is the item's delay. */
export class BucketItemRateLimiter<T> implements ItemRateLimiter<T> {
  private readonly bucket: TokenBucket;

  constructor(qps: number, burst: number, clock: Clock) {
    this.bucket = new TokenBucket(qps, burst, clock);
  }

  when(_item: T): number {
    return this.bucket.reserve();
  }

  forget(_item: T): void {}

  retries(_item: T): number {
    return 0;
  }
}

/** The longest delay any of the limiters asks for (client-go's MaxOfRateLimiter). */
export class MaxOfRateLimiter<T> implements ItemRateLimiter<T> {
  constructor(private readonly limiters: ItemRateLimiter<T>[]) {}

  when(item: T): number {
    let delayMs = 0;
    for (const l of this.limiters) delayMs = Math.max(delayMs, l.when(item));
    return delayMs;
  }

  forget(item: T): void {
    for (const l of this.limiters) l.forget(item);
  }

  retries(item: T): number {
    let n = 0;
    for (const l of this.limiters) n = Math.max(n, l.retries(item));
    return n;
  }
}

/**
 * client-go's DefaultControllerRateLimiter: per-item back-off from 5 ms doubling to 1000 s, combined with
 * an overall bucket of 10 qps / burst 100 so a storm of failing keys cannot hammer the API server.
 */
export function defaultControllerRateLimiter<T>(clock: Clock): ItemRateLimiter<T> {
  return new MaxOfRateLimiter<T>([
    new ItemExponentialRateLimiter<T>(5, 1000 * 1000),
    new BucketItemRateLimiter<T>(10, 100, clock),
  ]);
}
