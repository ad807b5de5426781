import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { FakeClock, flushMicrotasks } from '../../client/clock.js';
import { ItemExponentialRateLimiter } from '../../client/rate-limiter.js';
import { WorkQueue } from '../../client/work-queue.js';
import { runWorkers } from '../../client/workers.js';

const silent = pino({ level: 'silent' });

describe('runWorkers', () => {
  it('forgets a key on success and requeues it with back-off on error', async () => {
    const clock = new FakeClock();
    const queue = new WorkQueue<string>({ clock, rateLimiter: new ItemExponentialRateLimiter(5, 1000) });
    const calls: string[] = [];
    let failuresLeft = 2;
    const running = runWorkers(
      queue,
      2,
      async (key) => {
        calls.push(`${key}@${clock.now()}`);
        if (key === 'bad' && failuresLeft-- > 0) throw new Error('boom');
      },
      { logger: silent },
    );
    queue.add('good');
    queue.add('bad');
    await flushMicrotasks();
    expect(calls).toEqual(['good@0', 'bad@0']);
    expect(queue.numRequeues('good')).toBe(0);
    expect(queue.numRequeues('bad')).toBe(1);
    await clock.advance(5);
    expect(calls).toEqual(['good@0', 'bad@0', 'bad@5']);
    await clock.advance(10);
    expect(calls).toEqual(['good@0', 'bad@0', 'bad@5', 'bad@15']);
    // Succeeded on the third try: its back-off history is cleared.
    expect(queue.numRequeues('bad')).toBe(0);
    queue.shutDown();
    await running;
  });

  it('never reconciles one key on two workers at once', async () => {
    const queue = new WorkQueue<string>();
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const running = runWorkers(
      queue,
      4,
      async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        runs++;
        // Re-adding mid-reconcile must defer the key, not hand it to another worker.
        if (runs < 5) queue.add('same');
        await new Promise((r) => setTimeout(r, 2));
        active--;
      },
      { logger: silent },
    );
    queue.add('same');
    const deadline = Date.now() + 5000;
    while (runs < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    queue.shutDown();
    await running;
    expect(runs).toBe(5);
    expect(maxActive).toBe(1);
  });
});
