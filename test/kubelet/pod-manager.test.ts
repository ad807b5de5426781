import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makePod, newHarness, settle, type Harness } from './support/harness.js';
import { syncPod } from '../../agent/kubelet/pod-sync.js';

let h: Harness;
beforeEach(() => {
  h = newHarness();
});
afterEach(() => h.cleanup());

describe('pod manager', () => {
  it('writes the pod status only when it changed', async () => {
    const pod = makePod('quiet');
    h.manager.upsert(pod);
    await settle(h);
    const writes = h.status.writes.length;
    expect(writes).toBe(1);
    expect(h.status.last()?.phase).toBe('Running');
    h.manager.upsert(pod);
    await settle(h);
    h.manager.wake(pod.metadata.uid!);
    await settle(h);
    expect(h.status.writes.length).toBe(writes);
  });

  it('keeps lastTransitionTime of conditions that did not change', async () => {
    const pod = makePod('trans', { containers: [{ name: 'app', image: 'skiff/busybox:v1', readinessProbe: { exec: { command: ['true'] }, periodSeconds: 1, initialDelaySeconds: 2 } }] });
    h.manager.upsert(pod);
    await settle(h);
    const first = h.status.last()!;
    const scheduled = first.conditions?.find((c) => c.type === 'PodScheduled')?.lastTransitionTime;
    expect(first.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    await h.clock.advance(5000);
    await settle(h);
    const later = h.status.last()!;
    expect(later.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(later.conditions?.find((c) => c.type === 'PodScheduled')?.lastTransitionTime).toBe(scheduled);
    expect(later.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime).not.toBe(first.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime);
  });

  it('deletes gracefully: preStop, then stop containers, then the sandbox, then the API object', async () => {
    const pod = makePod('bye', {
      terminationGracePeriodSeconds: 20,
      containers: [{ name: 'app', image: 'skiff/busybox:v1', lifecycle: { preStop: { exec: { command: ['sh', '-c', 'echo bye'] } } } }],
    });
    h.manager.upsert(pod);
    await settle(h);
    h.manager.upsert({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: '2026-01-01T00:00:20Z', deletionGracePeriodSeconds: 20 } });
    await settle(h);
    const tail = h.runtime.calls.filter((c) => /^(ExecSync|StopContainer|StopPodSandbox|RemoveContainer|RemovePodSandbox|DeletePod)/.test(c));
    expect(tail).toEqual(['ExecSync app#0 sh -c echo bye', 'StopContainer app#0 timeout=20', 'StopPodSandbox bye', 'RemoveContainer app#0', 'RemovePodSandbox bye', 'DeletePod bye']);
    expect(h.runtime.containers.size).toBe(0);
  });

  it('removes containers of pods the API does not know once the informer synced', async () => {
    const orphan = makePod('orphan');
    await syncPod(h.ctx, orphan);
    const kept = makePod('kept');
    h.manager.upsert(kept);
    await settle(h);
    expect(h.runtime.podContainers(orphan.metadata.uid!)).toHaveLength(1);
    h.manager.setSourcesReady([orphan.metadata.uid!, kept.metadata.uid!]);
    await settle(h);
    expect(h.runtime.podContainers(orphan.metadata.uid!)).toHaveLength(0);
    expect([...h.runtime.sandboxes.values()].map((s) => s.config.metadata?.name)).toEqual(['kept']);
  });

  it('leaves unknown pods alone before the informer synced (adoption after a restart)', async () => {
    const pod = makePod('early');
    await syncPod(h.ctx, pod);
    h.manager.wake(pod.metadata.uid!);
    await settle(h);
    expect(h.runtime.podContainers(pod.metadata.uid!)).toHaveLength(1);
  });

  it('kills and restarts a container whose liveness probe fails failureThreshold times', async () => {
    h.prober.answer = () => 'failure';
    const pod = makePod('live', { containers: [{ name: 'app', image: 'skiff/busybox:v1', livenessProbe: { exec: { command: ['false'] }, periodSeconds: 1, failureThreshold: 3 } }] });
    h.manager.upsert(pod);
    await settle(h);
    await h.clock.advance(1500);
    await settle(h);
    expect(h.runtime.calls.some((c) => c.startsWith('StopContainer app#0'))).toBe(false);
    for (let i = 0; i < 4; i++) {
      await h.clock.advance(1000);
      await settle(h);
    }
    expect(h.runtime.calls.some((c) => c.startsWith('StopContainer app#0'))).toBe(true);
    expect(h.runtime.calls).toContain('StartContainer app#1');
    expect(h.status.last()?.containerStatuses?.[0]?.restartCount).toBe(1);
  });

  it('gates readiness on the startup probe', async () => {
    let startupOk = false;
    h.prober.answer = (_t, probe) => (probe.exec?.command?.[0] === 'startup' ? (startupOk ? 'success' : 'failure') : 'success');
    const pod = makePod('startup', {
      containers: [{
        name: 'app', image: 'skiff/busybox:v1',
        startupProbe: { exec: { command: ['startup'] }, periodSeconds: 1, failureThreshold: 100 },
        readinessProbe: { exec: { command: ['ready'] }, periodSeconds: 1 },
      }],
    });
    h.manager.upsert(pod);
    await settle(h);
    for (let i = 0; i < 3; i++) {
      await h.clock.advance(1000);
      await settle(h);
    }
    expect(h.status.last()?.containerStatuses?.[0]).toMatchObject({ started: false, ready: false });
    startupOk = true;
    for (let i = 0; i < 3; i++) {
      await h.clock.advance(1000);
      await settle(h);
    }
    expect(h.status.last()?.containerStatuses?.[0]).toMatchObject({ started: true, ready: true });
    expect(h.status.last()?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  });
});
