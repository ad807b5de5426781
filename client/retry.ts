// Retrying a read-modify-write on optimistic-concurrency conflicts (client-go's retry.RetryOnConflict):
// the caller re-reads the object inside `fn`, so each attempt works on the latest resourceVersion.
import { ConflictError } from '../api/errors.js';
import { RealClock, type Clock } from './clock.js';

export interface RetryOptions {
  /** Attempts in all (default 5, client-go's DefaultRetry). */
  steps?: number;
  /** Delay before the second attempt, in ms (default 10). */
  delayMs?: number;
  /** Each further delay is multiplied by this (default 1). */
  factor?: number;
  /** Up to this fraction is added to each delay at random, so competing writers spread out (default 0.1). */
  jitter?: number;
  clock?: Clock;
}

/**
 * Runs `fn` until it succeeds or throws something other than a ConflictError, trying at most `steps`
 * times with back-off in between. The last ConflictError is rethrown when attempts run out.
 */
export async function retryOnConflict<R>(fn: () => Promise<R>, options: RetryOptions = {}): Promise<R> {
  return retryOn((err) => err instanceof ConflictError, fn, options);
}

/** As retryOnConflict, for any error that `retriable` accepts. */
export async function retryOn<R>(retriable: (err: unknown) => boolean, fn: () => Promise<R>, options: RetryOptions = {}): Promise<R> {
  const steps = Math.max(1, options.steps ?? 5);
  const clock = options.clock ?? new RealClock();
  const jitter = options.jitter ?? 0.1;
  let delayMs = options.delayMs ?? 10;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= steps || !retriable(err)) throw err;
    }
    await clock.sleep(delayMs * (1 + Math.random() * jitter));
    delayMs *= options.factor ?? 1;
  }
}
