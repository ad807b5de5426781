import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../client/clock.js';

describe('FakeClock', () => {
  it('fires due timers in time order, ties in scheduling order, including timers scheduled while stepping', () => {
    const clock = new FakeClock(1000);
    const fired: string[] = [];
    clock.setTimer(() => fired.push(`b@${clock.now()}`), 20);
    clock.setTimer(() => {
      fired.push(`a@${clock.now()}`);
      clock.setTimer(() => fired.push(`c@${clock.now()}`), 5);
    }, 10);
    clock.setTimer(() => fired.push(`b2@${clock.now()}`), 20);
    clock.setTimer(() => fired.push('late'), 100);
    clock.step(50);
    expect(fired).toEqual(['a@1010', 'c@1015', 'b@1020', 'b2@1020']);
    expect(clock.now()).toBe(1050);
    expect(clock.pendingTimers()).toBe(1);
  });

  it('never fires a cancelled timer', () => {
    const clock = new FakeClock();
    let fired = false;
    clock.setTimer(() => (fired = true), 10).cancel();
    clock.step(100);
    expect(fired).toBe(false);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('resolves sleep when time passes and rejects it when aborted first', async () => {
    const clock = new FakeClock();
    const slept = clock.sleep(100);
    await clock.advance(100);
    await expect(slept).resolves.toBeUndefined();
    const controller = new AbortController();
    const aborted = clock.sleep(100, controller.signal);
    controller.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    expect(clock.pendingTimers()).toBe(0);
  });
});
