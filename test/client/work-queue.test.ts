import { describe, expect, it } from 'vitest';
import { FakeClock, flushMicrotasks } from '../../client/clock.js';
import { ItemExponentialRateLimiter, TokenBucket, defaultControllerRateLimiter } from '../../client/rate-limiter.js';
import { WorkQueue } from '../../client/work-queue.js';

function newQueue(clock = new FakeClock()): { clock: FakeClock; queue: WorkQueue<string> } {
  // Per-item back-off only, so the overall bucket does not blur the delays asserted below.
  return { clock, queue: new WorkQueue<string>({ clock, rateLimiter: new ItemExponentialRateLimiter(5, 1_000_000) }) };
}

/** Takes every key ready now without blocking. */
async function drain(queue: WorkQueue<string>): Promise<string[]> {
  const keys: string[] = [];
  while (queue.len() > 0) {
    const key = await queue.get();
    if (key === undefined) break;
    keys.push(key);
  }
  return keys;
}

describe('WorkQueue', () => {
  it('queues a key added twice only once', async () => {
    const { queue } = newQueue();
    queue.add('ns/a');
    queue.add('ns/b');
    queue.add('ns/a');
    expect(queue.len()).toBe(2);
    expect(await drain(queue)).toEqual(['ns/a', 'ns/b']);
  });

  it('re-queues a key added while processing only after done, never handing it out concurrently', async () => {
    const { queue } = newQueue();
    queue.add('a');
    expect(await queue.get()).toBe('a');
    queue.add('a');
    queue.add('a');
    // Still processing: not available to a second worker.
    expect(queue.len()).toBe(0);
    queue.done('a');
    expect(queue.len()).toBe(1);
    expect(await queue.get()).toBe('a');
    queue.done('a');
    expect(queue.len()).toBe(0);
  });

  it('does not re-queue a processed key that was not added again', async () => {
    const { queue } = newQueue();
    queue.add('a');
    expect(await queue.get()).toBe('a');
    queue.done('a');
    expect(queue.len()).toBe(0);
  });

  it('wakes a blocked get when a key is added', async () => {
    const { queue } = newQueue();
    const pending = queue.get();
    queue.add('x');
    expect(await pending).toBe('x');
    // The key went straight to the waiting worker, so adding it again now waits for done().
    queue.add('x');
    expect(queue.len()).toBe(0);
    queue.done('x');
    expect(queue.len()).toBe(1);
  });

  it('delivers addAfter keys in deadline order once the clock reaches them', async () => {
    const { clock, queue } = newQueue();
    queue.addAfter('late', 300);
    queue.addAfter('early', 100);
    queue.addAfter('middle', 200);
    clock.step(99);
    expect(queue.len()).toBe(0);
    clock.step(150);
    expect(await drain(queue)).toEqual(['early', 'middle']);
    clock.step(100);
    expect(await drain(queue)).toEqual(['late']);
  });

  it('keeps the earlier deadline when a waiting key is added after again', async () => {
    const { clock, queue } = newQueue();
    queue.addAfter('k', 500);
    queue.addAfter('k', 100);
    queue.addAfter('k', 800);
    clock.step(100);
    expect(await drain(queue)).toEqual(['k']);
    queue.done('k');
    clock.step(1000);
    expect(queue.len()).toBe(0);
  });

  it('adds at once when addAfter is given no delay', () => {
    const { queue } = newQueue();
    queue.addAfter('now', 0);
    expect(queue.len()).toBe(1);
  });

  it('backs off a failing key exponentially and starts over after forget', async () => {
    const { clock, queue } = newQueue();
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = clock.now();
      queue.addRateLimited('k');
      let waited = 0;
      while (queue.len() === 0) {
        clock.step(1);
        waited++;
        if (waited > 10_000) throw new Error('key never became ready');
      }
      delays.push(clock.now() - start);
      expect(await queue.get()).toBe('k');
      queue.done('k');
    }
    expect(delays).toEqual([5, 10, 20, 40, 80]);
    expect(queue.numRequeues('k')).toBe(5);
    queue.forget('k');
    expect(queue.numRequeues('k')).toBe(0);
    queue.addRateLimited('k');
    clock.step(5);
    expect(queue.len()).toBe(1);
  });

  it('caps the per-item back-off at 1000 seconds', () => {
    const limiter = new ItemExponentialRateLimiter<string>(5, 1_000_000);
    let last = 0;
    for (let i = 0; i < 40; i++) last = limiter.when('k');
    expect(last).toBe(1_000_000);
  });

  it('combines per-item back-off with an overall token bucket in the default limiter', () => {
    const clock = new FakeClock();
    const limiter = defaultControllerRateLimiter<string>(clock);
    // 100 distinct keys fit in the burst with the 5 ms item delay; the 101st waits for the 10 qps bucket.
    for (let i = 0; i < 100; i++) expect(limiter.when(`k${i}`)).toBe(5);
    expect(limiter.when('k100')).toBeCloseTo(100, 5);
  });

  it('shuts down: blocked gets resolve undefined, adds are ignored, delayed adds never arrive', async () => {
    const { clock, queue } = newQueue();
    const blocked = [queue.get(), queue.get()];
    queue.addAfter('later', 50);
    queue.shutDown();
    expect(await Promise.all(blocked)).toEqual([undefined, undefined]);
    queue.add('ignored');
    clock.step(100);
    expect(queue.len()).toBe(0);
    expect(await queue.get()).toBeUndefined();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('hands out keys queued before shutDown, then undefined', async () => {
    const { queue } = newQueue();
    queue.add('a');
    queue.shutDown();
    expect(await queue.get()).toBe('a');
    expect(await queue.get()).toBeUndefined();
  });
});

describe('TokenBucket', () => {
  it('allows a burst, then one token per 1/qps seconds', () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(10, 3, clock);
    expect([bucket.tryAccept(), bucket.tryAccept(), bucket.tryAccept(), bucket.tryAccept()]).toEqual([true, true, true, false]);
    clock.step(100);
    expect(bucket.tryAccept()).toBe(true);
    expect(bucket.tryAccept()).toBe(false);
  });

  it('queues reservations fairly: each waits one interval longer than the previous', () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(100, 1, clock);
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve()].map((d) => Math.round(d))).toEqual([0, 10, 20]);
  });

  it('makes wait() resolve only after the clock advances', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(10, 1, clock);
    await bucket.wait();
    let done = false;
    void bucket.wait().then(() => (done = true));
    await flushMicrotasks();
    expect(done).toBe(false);
    await clock.advance(100);
    expect(done).toBe(true);
  });
});
