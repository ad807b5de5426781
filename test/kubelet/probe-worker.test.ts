import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../client/index.js';
import { ProbeWorker, type ProbeType } from '../../agent/kubelet/probes/index.js';
import type { Probe } from '../../api/index.js';

function worker(type: ProbeType, probe: Probe, answers: ('success' | 'failure')[], started = () => true) {
  const clock = new FakeClock(1_000_000);
  const results: string[] = [];
  let probes = 0;
  const w = new ProbeWorker(type, probe, { containerId: 'c1', container: { name: 'app' }, podIP: '10.0.0.2', startedAtMs: clock.now() }, {
    clock,
    prober: { probe: async () => ({ result: answers[Math.min(probes++, answers.length - 1)]!, output: '' }) },
    started,
    onResult: (_t, _id, v) => results.push(v),
  });
  return { clock, w, results, count: () => probes };
}

describe('probe worker', () => {
  it.each([
    { type: 'readiness' as const, initial: 'failure' },
    { type: 'liveness' as const, initial: 'success' },
    { type: 'startup' as const, initial: undefined },
  ])('starts $type with upstream\'s initial result $initial', ({ type, initial }) => {
    const { w } = worker(type, { exec: { command: ['x'] } }, ['success']);
    expect(w.verdict).toBe(initial);
  });

  it('waits initialDelaySeconds, then probes every periodSeconds', async () => {
    const { clock, w, count } = worker('readiness', { exec: { command: ['x'] }, initialDelaySeconds: 5, periodSeconds: 2 }, ['success']);
    w.start();
    await clock.advance(4_999);
    expect(count()).toBe(0);
    await clock.advance(1);
    expect(count()).toBe(1);
    await clock.advance(2_000);
    await clock.advance(2_000);
    expect(count()).toBe(3);
    w.stop();
  });

  it('turns liveness to failure only after failureThreshold failures in a row, then holds', async () => {
    const { clock, w, results, count } = worker('liveness', { exec: { command: ['x'] }, periodSeconds: 1, failureThreshold: 3 }, ['failure', 'failure', 'success', 'failure', 'failure', 'failure']);
    w.start();
    for (let i = 0; i < 4; i++) await clock.advance(1000); // probes at 0..4 s: F F S F F
    expect(w.verdict).toBe('success');
    await clock.advance(1000); // third failure in a row
    expect(w.verdict).toBe('failure');
    expect(results).toEqual(['failure']);
    const probed = count();
    for (let i = 0; i < 5; i++) await clock.advance(1000);
    expect(count()).toBe(probed); // on hold until the container is replaced
    w.stop();
  });

  it('turns readiness to success only after successThreshold successes in a row', async () => {
    const { clock, w, results } = worker('readiness', { exec: { command: ['x'] }, periodSeconds: 1, successThreshold: 2, failureThreshold: 1 }, ['success', 'failure', 'success', 'success', 'failure']);
    w.start();
    await clock.advance(0);
    expect(w.verdict).toBe('failure');
    await clock.advance(1000);
    await clock.advance(1000);
    expect(w.verdict).toBe('failure');
    await clock.advance(1000);
    expect(w.verdict).toBe('success');
    await clock.advance(1000);
    expect(w.verdict).toBe('failure');
    expect(results).toEqual(['success', 'failure']);
    w.stop();
  });

  it('does not probe liveness before the startup probe succeeded', async () => {
    let started = false;
    const { clock, w, count } = worker('liveness', { exec: { command: ['x'] }, periodSeconds: 1 }, ['failure'], () => started);
    w.start();
    for (let i = 0; i < 3; i++) await clock.advance(1000);
    expect(count()).toBe(0);
    started = true;
    await clock.advance(1000);
    expect(count()).toBe(1);
    w.stop();
  });

  it('stops the startup probe once it succeeded', async () => {
    const { clock, w, count } = worker('startup', { exec: { command: ['x'] }, periodSeconds: 1 }, ['failure', 'success']);
    w.start();
    for (let i = 0; i < 5; i++) await clock.advance(1000);
    expect(w.verdict).toBe('success');
    expect(count()).toBe(2);
  });
});
