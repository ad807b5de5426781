import { describe, expect, it } from 'vitest';
import { podPhase } from '../../agent/kubelet/status/index.js';
import type { ContainerStatus, PodSpec } from '../../api/index.js';

const running = (name: string): ContainerStatus => ({ name, ready: true, restartCount: 0, image: '', imageID: '', state: { running: {} } });
const exited = (name: string, exitCode: number): ContainerStatus => ({ name, ready: false, restartCount: 0, image: '', imageID: '', state: { terminated: { exitCode } } });
const waiting = (name: string, lastExit?: number): ContainerStatus => ({
  name, ready: false, restartCount: 1, image: '', imageID: '', state: { waiting: { reason: 'CrashLoopBackOff' } },
  lastState: lastExit === undefined ? {} : { terminated: { exitCode: lastExit } },
});

const spec = (policy: PodSpec['restartPolicy'], init = false): PodSpec => ({
  restartPolicy: policy,
  containers: [{ name: 'a' }, { name: 'b' }],
  ...(init ? { initContainers: [{ name: 'i' }] } : {}),
});

describe('pod phase', () => {
  it.each([
    { name: 'all running', spec: spec('Always'), init: [], cs: [running('a'), running('b')], phase: 'Running' },
    { name: 'one not created yet', spec: spec('Always'), init: [], cs: [running('a')], phase: 'Pending' },
    { name: 'crash looping under Always', spec: spec('Always'), init: [], cs: [running('a'), waiting('b', 1)], phase: 'Running' },
    { name: 'all succeeded under Never', spec: spec('Never'), init: [], cs: [exited('a', 0), exited('b', 0)], phase: 'Succeeded' },
    { name: 'one failed under Never', spec: spec('Never'), init: [], cs: [exited('a', 0), exited('b', 1)], phase: 'Failed' },
    { name: 'all succeeded under OnFailure', spec: spec('OnFailure'), init: [], cs: [exited('a', 0), exited('b', 0)], phase: 'Succeeded' },
    { name: 'one failed waiting restart under OnFailure', spec: spec('OnFailure'), init: [], cs: [exited('a', 0), waiting('b', 1)], phase: 'Running' },
    { name: 'all exited under Always', spec: spec('Always'), init: [], cs: [exited('a', 0), exited('b', 0)], phase: 'Running' },
    { name: 'init running', spec: spec('Always', true), init: [running('i')], cs: [], phase: 'Pending' },
    { name: 'init failed under Never', spec: spec('Never', true), init: [exited('i', 1)], cs: [], phase: 'Failed' },
    { name: 'init crash looping under Always', spec: spec('Always', true), init: [waiting('i', 1)], cs: [], phase: 'Pending' },
    { name: 'init done, apps running', spec: spec('Always', true), init: [exited('i', 0)], cs: [running('a'), running('b')], phase: 'Running' },
  ])('$name → $phase', ({ spec: s, init, cs, phase }) => {
    expect(podPhase(s, init, cs)).toBe(phase);
  });
});
