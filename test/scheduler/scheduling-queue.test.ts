import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../client/clock.js';
import { SchedulingQueue } from '../../control-plane/scheduler/scheduling-queue.js';
import { makePod } from './fixtures.js';

let queue: SchedulingQueue | undefined;
afterEach(() => queue?.close());

function newQueue(clock: FakeClock): SchedulingQueue {
  queue = new SchedulingQueue({ clock });
  return queue;
}

function popKeys(q: SchedulingQueue): string[] {
  const out: string[] = [];
  for (let info = q.tryPop(); info; info = q.tryPop()) out.push(info.key);
  return out;
}

describe('SchedulingQueue', () => {
  it('pops higher priority first, then first in first out', () => {
    const clock = new FakeClock(1000);
    const q = newQueue(clock);
    q.add('ns/low1', makePod('low1', { priority: 0 }));
    clock.step(1);
    q.add('ns/high', makePod('high', { priority: 100 }));
    q.add('ns/low2', makePod('low2'));
    q.add('ns/mid', makePod('mid', { priority: 10 }));
    expect(popKeys(q)).toEqual(['ns/high', 'ns/mid', 'ns/low1', 'ns/low2']);
  });

  it('does not queue a pod twice', () => {
    const q = newQueue(new FakeClock());
    q.add('ns/a', makePod('a'));
    q.add('ns/a', makePod('a'));
    expect(popKeys(q)).toEqual(['ns/a']);
  });

  it('resolves a waiting pop when a pod arrives', async () => {
    const q = newQueue(new FakeClock());
    const popped = q.pop();
    q.add('ns/a', makePod('a'));
    expect((await popped)?.key).toBe('ns/a');
  });

  it('resolves a waiting pop with undefined on close', async () => {
    const q = newQueue(new FakeClock());
    const popped = q.pop();
    q.close();
    expect(await popped).toBeUndefined();
  });

  it.each([
    { attempts: 1, want: 1000 },
    { attempts: 2, want: 2000 },
    { attempts: 3, want: 4000 },
    { attempts: 4, want: 8000 },
    { attempts: 5, want: 10000 },
    { attempts: 12, want: 10000 },
  ])('backs off $want ms after $attempts attempts', ({ attempts, want }) => {
    expect(newQueue(new FakeClock()).backoffDurationMs(attempts)).toBe(want);
  });

  it('parks an unschedulable pod until a cluster event, then holds it for its back-off', () => {
    const clock = new FakeClock();
    const q = newQueue(clock);
    q.add('ns/a', makePod('a'));
    const info = q.tryPop();
    expect(info?.attempts).toBe(1);
    q.addUnschedulable(info!, q.currentCycle());
    expect(q.lengths()).toEqual({ active: 0, backoff: 0, unschedulable: 1 });
    clock.step(60_000);
    expect(q.tryPop()).toBeUndefined();
    q.moveAllToActiveOrBackoff();
    // Parked for a minute: its 1 s back-off is long over, so it goes straight to active.
    expect(q.lengths()).toEqual({ active: 1, backoff: 0, unschedulable: 0 });
    expect(q.tryPop()?.attempts).toBe(2);
  });

  it('sends a pod moved within its back-off to the back-off queue, released when it ends', () => {
    const clock = new FakeClock();
    const q = newQueue(clock);
    q.add('ns/a', makePod('a'));
    q.addUnschedulable(q.tryPop()!, q.currentCycle());
    clock.step(200);
    q.moveAllToActiveOrBackoff();
    expect(q.lengths()).toEqual({ active: 0, backoff: 1, unschedulable: 0 });
    clock.step(700);
    expect(q.tryPop()).toBeUndefined();
    clock.step(100);
    expect(q.tryPop()?.key).toBe('ns/a');
  });

  it('backs off instead of parking when a cluster event happened during the attempt', () => {
    const clock = new FakeClock();
    const q = newQueue(clock);
    q.add('ns/a', makePod('a'));
    const info = q.tryPop()!;
    const cycle = q.currentCycle();
    q.moveAllToActiveOrBackoff();
    q.addUnschedulable(info, cycle);
    expect(q.lengths()).toEqual({ active: 0, backoff: 1, unschedulable: 0 });
  });

  it('wakes a waiting pop when a back-off ends', async () => {
    const clock = new FakeClock();
    const q = newQueue(clock);
    q.add('ns/a', makePod('a'));
    q.addBackoff(q.tryPop()!);
    const popped = q.pop();
    clock.step(1000);
    expect((await popped)?.key).toBe('ns/a');
  });

  it('drops a deleted pod from every part and ignores its in-flight result', () => {
    const clock = new FakeClock();
    const q = newQueue(clock);
    q.add('ns/a', makePod('a'));
    q.add('ns/b', makePod('b'));
    const a = q.tryPop()!;
    q.delete('ns/a');
    q.addUnschedulable(a, q.currentCycle());
    q.delete('ns/b');
    expect(q.lengths()).toEqual({ active: 0, backoff: 0, unschedulable: 0 });
  });

  it('moves a parked pod out when the pod itself is updated', () => {
    const clock = new FakeClock();
    const q = newQueue(clock);
    q.add('ns/a', makePod('a'));
    q.addUnschedulable(q.tryPop()!, q.currentCycle());
    clock.step(5000);
    q.update('ns/a', makePod('a', { tolerations: [{ operator: 'Exists' }] }));
    const info = q.tryPop();
    expect(info?.pod.spec?.tolerations).toEqual([{ operator: 'Exists' }]);
  });

  it('keeps a parked pod parked when an update cannot change the outcome, with the new copy', () => {
    const clock = new FakeClock();
    const q = newQueue(clock);
    q.add('ns/a', makePod('a'));
    q.addUnschedulable(q.tryPop()!, q.currentCycle());
    clock.step(5000);
    q.update('ns/a', makePod('a', { priority: 7 }), false);
    expect(q.lengths()).toEqual({ active: 0, backoff: 0, unschedulable: 1 });
    q.moveAllToActiveOrBackoff();
    expect(q.tryPop()?.pod.spec?.priority).toBe(7);
  });

  it('retries pods parked longer than five minutes without any event', () => {
    const clock = new FakeClock();
    const q = newQueue(clock);
    q.add('ns/a', makePod('a'));
    q.addUnschedulable(q.tryPop()!, q.currentCycle());
    clock.step(4 * 60_000);
    expect(q.lengths().unschedulable).toBe(1);
    clock.step(61_000);
    expect(q.lengths()).toEqual({ active: 1, backoff: 0, unschedulable: 0 });
  });
});
