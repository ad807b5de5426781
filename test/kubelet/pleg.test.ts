import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { FakeClock } from '../../client/index.js';
import { FakeRuntime } from '../../agent/kubelet/fake-runtime.js';
import { Pleg } from '../../agent/kubelet/pleg.js';
import { syncPod } from '../../agent/kubelet/pod-sync.js';
import { makePod, newHarness } from './support/harness.js';

describe('PLEG relist', () => {
  it('wakes a pod when its containers change state, and only then; ignores other nodes', async () => {
    const h = newHarness();
    try {
      const pod = makePod('watched');
      const other = makePod('elsewhere', { nodeName: 'node-2' });
      await syncPod(h.ctx, pod);
      await syncPod(h.ctx, other);
      const woken: string[] = [];
      const pleg = new Pleg(h.runtime, 'node-1', h.clock, (uid) => woken.push(uid), pino({ level: 'silent' }));
      await pleg.relist();
      expect(woken).toEqual([pod.metadata.uid]);
      expect(pleg.runtimeUids()).toEqual([pod.metadata.uid]);
      woken.length = 0;
      await pleg.relist();
      expect(woken).toEqual([]);
      h.runtime.exit(h.runtime.podContainers(pod.metadata.uid!)[0]!, 137);
      await pleg.relist();
      expect(woken).toEqual([pod.metadata.uid]);
    } finally {
      h.cleanup();
    }
  });

  it('relists every period once started', async () => {
    const clock = new FakeClock(0);
    const runtime = new FakeRuntime(clock);
    let lists = 0;
    const orig = runtime.listContainers.bind(runtime);
    runtime.listContainers = async (req) => {
      lists++;
      return orig(req);
    };
    const pleg = new Pleg(runtime, 'node-1', clock, () => undefined, pino({ level: 'silent' }));
    pleg.start();
    await clock.advance(0);
    await clock.advance(1000);
    await clock.advance(1000);
    pleg.stop();
    expect(lists).toBe(3);
  });
});
