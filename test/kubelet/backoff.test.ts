import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../client/index.js';
import { Backoff, formatGoDuration } from '../../agent/kubelet/backoff.js';

describe('restart back-off', () => {
  it('doubles from 10 s to a 5 min cap across consecutive failures', () => {
    const clock = new FakeClock(0);
    const b = new Backoff(clock);
    const seen: number[] = [];
    for (let i = 0; i < 8; i++) {
      b.next('uid/app', clock.now());
      seen.push(b.get('uid/app'));
      clock.step(b.get('uid/app'));
    }
    expect(seen).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
  });

  it('is in back-off until the current duration has passed since the failure', () => {
    const clock = new FakeClock(0);
    const b = new Backoff(clock);
    expect(b.isInBackOffSince('k', 0)).toBe(false);
    b.next('k', 0);
    clock.step(9_999);
    expect(b.isInBackOffSince('k', 0)).toBe(true);
    expect(b.remainingMs('k', 0)).toBe(1);
    clock.step(1);
    expect(b.isInBackOffSince('k', 0)).toBe(false);
  });

  it('starts again at 10 s once the last failure is older than 10 min', () => {
    const clock = new FakeClock(0);
    const b = new Backoff(clock);
    b.next('k', 0);
    b.next('k', 1000);
    expect(b.get('k')).toBe(20_000);
    clock.step(11 * 60_000);
    b.next('k', clock.now());
    expect(b.get('k')).toBe(10_000);
  });

  it('keeps keys apart and forgets a pod by prefix', () => {
    const clock = new FakeClock(0);
    const b = new Backoff(clock);
    b.next('u1/a', 0);
    b.next('u1/a', 0);
    b.next('u2/a', 0);
    b.resetPrefix('u1/');
    expect(b.get('u1/a')).toBe(0);
    expect(b.get('u2/a')).toBe(10_000);
  });

  it.each([
    [10_000, '10s'],
    [20_000, '20s'],
    [40_000, '40s'],
    [80_000, '1m20s'],
    [160_000, '2m40s'],
    [300_000, '5m0s'],
  ])('formats %i ms as Go does: %s', (ms, text) => {
    expect(formatGoDuration(ms)).toBe(text);
  });
});
