import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syncPod } from '../../agent/kubelet/pod-sync.js';
import { computePodStatus } from '../../agent/kubelet/status/index.js';
import { podUidLabel } from '../../agent/kubelet/labels.js';
import type { Pod } from '../../api/index.js';
import { makePod, newHarness, type Harness } from './support/harness.js';

let h: Harness;
beforeEach(() => {
  h = newHarness();
});
afterEach(() => h.cleanup());

function creates(calls: string[]): string[] {
  return calls.filter((c) => /^(RunPodSandbox|CreateContainer|StartContainer)/.test(c));
}

async function statusAfterSync(pod: Pod) {
  const out = await syncPod(h.ctx, pod);
  return computePodStatus({ pod, state: out.state, waiting: out.waiting, probes: h.ctx.probes, hostIP: '10.0.0.1', nowMs: h.clock.now() });
}

describe('pod sync', () => {
  it('creates the sandbox, then creates and starts the containers in order', async () => {
    const pod = makePod('web', { containers: [{ name: 'a', image: 'skiff/busybox:v1' }, { name: 'b', image: 'skiff/busybox:v1' }] });
    await syncPod(h.ctx, pod);
    expect(creates(h.runtime.calls)).toEqual(['RunPodSandbox web', 'CreateContainer a#0', 'StartContainer a#0', 'CreateContainer b#0', 'StartContainer b#0']);
    const sb = [...h.runtime.sandboxes.values()][0]!;
    expect(sb.config.metadata).toEqual({ name: 'web', namespace: 'ns', uid: pod.metadata.uid, attempt: 0 });
    expect(sb.config.log_directory).toContain(`ns_web_${pod.metadata.uid}`);
  });

  it('is level-triggered: a second sync of a running pod changes nothing', async () => {
    const pod = makePod('idle');
    await syncPod(h.ctx, pod);
    const before = h.runtime.calls.length;
    await syncPod(h.ctx, pod);
    expect(creates(h.runtime.calls.slice(before))).toEqual([]);
  });

  it('runs init containers one at a time, each to completion, before app containers', async () => {
    h.runtime.onStart = (c) => (c.name.startsWith('init') ? 0 : undefined);
    const pod = makePod('init', {
      initContainers: [{ name: 'init1', image: 'skiff/busybox:v1' }, { name: 'init2', image: 'skiff/busybox:v1' }],
    });
    let s = await statusAfterSync(pod);
    expect(creates(h.runtime.calls)).toEqual(['RunPodSandbox init', 'CreateContainer init1#0', 'StartContainer init1#0']);
    expect(s.phase).toBe('Pending');
    await syncPod(h.ctx, pod);
    expect(creates(h.runtime.calls).slice(3)).toEqual(['CreateContainer init2#0', 'StartContainer init2#0']);
    s = await statusAfterSync(pod);
    expect(creates(h.runtime.calls).slice(5)).toEqual(['CreateContainer app#0', 'StartContainer app#0']);
    expect(s.phase).toBe('Running');
    expect(s.conditions?.find((c) => c.type === 'Initialized')?.status).toBe('True');
  });

  it('shows Init:Error-style statuses and restarts a failing init container under back-off', async () => {
    h.runtime.onStart = (c) => (c.name === 'init1' ? 1 : undefined);
    const pod = makePod('initfail', { initContainers: [{ name: 'init1', image: 'skiff/busybox:v1' }] });
    await syncPod(h.ctx, pod);
    await syncPod(h.ctx, pod); // immediate first restart
    const s = await statusAfterSync(pod); // now in back-off
    expect(s.initContainerStatuses?.[0]?.state?.waiting?.reason).toBe('CrashLoopBackOff');
    expect(s.initContainerStatuses?.[0]?.lastState?.terminated?.exitCode).toBe(1);
    expect(s.phase).toBe('Pending');
    expect(h.runtime.calls.filter((c) => c.startsWith('CreateContainer app'))).toEqual([]);
  });

  it('fails the pod when an init container fails under restartPolicy Never', async () => {
    h.runtime.onStart = (c) => (c.name === 'init1' ? 2 : undefined);
    const pod = makePod('initnever', { restartPolicy: 'Never', initContainers: [{ name: 'init1', image: 'skiff/busybox:v1' }] });
    await syncPod(h.ctx, pod);
    const s = await statusAfterSync(pod);
    expect(s.phase).toBe('Failed');
    expect(h.runtime.calls.filter((c) => c.startsWith('StartContainer'))).toEqual(['StartContainer init1#0']);
  });

  it('restarts a crashing container after 10s, 20s, 40s ... capped at 300s', async () => {
    h.runtime.onStart = () => 1;
    const pod = makePod('crash');
    const startTimes: number[] = [];
    const t0 = h.clock.now();
    for (let i = 0; i < 2000 && startTimes.length < 9; i++) {
      const before = h.runtime.calls.length;
      await syncPod(h.ctx, pod);
      if (h.runtime.calls.slice(before).some((c) => c.startsWith('StartContainer'))) startTimes.push((h.clock.now() - t0) / 1000);
      h.clock.step(1000);
    }
    const gaps = startTimes.slice(1).map((t, i) => t - startTimes[i]!);
    // The first restart is immediate (next sync), then 10 s doubling, capped at 5 min.
    expect(gaps).toEqual([1, 10, 20, 40, 80, 160, 300, 300]);
  });

  it('shows CrashLoopBackOff with upstream\'s message and the restart count from the attempt', async () => {
    h.runtime.onStart = () => 1;
    const pod = makePod('loop');
    await syncPod(h.ctx, pod);
    h.clock.step(1000);
    await syncPod(h.ctx, pod);
    h.clock.step(1000);
    const s = await statusAfterSync(pod);
    const cs = s.containerStatuses?.[0];
    expect(cs?.state?.waiting).toEqual({ reason: 'CrashLoopBackOff', message: `back-off 10s restarting failed container=app pod=loop_ns(${pod.metadata.uid})` });
    expect(cs?.restartCount).toBe(1);
    expect(cs?.lastState?.terminated?.exitCode).toBe(1);
    expect(cs?.lastState?.terminated?.reason).toBe('Error');
    expect(s.phase).toBe('Running');
  });

  it('resets the back-off after the container ran for 10 minutes', async () => {
    let quick = true;
    h.runtime.onStart = () => (quick ? 1 : undefined);
    const pod = makePod('reset');
    for (let i = 0; i < 40; i++) {
      await syncPod(h.ctx, pod);
      h.clock.step(1000);
    }
    expect(h.ctx.backoff.get(`${pod.metadata.uid}/app`)).toBeGreaterThanOrEqual(20_000);
    quick = false;
    // Wait for the current back-off to end so it starts once more and keeps running.
    for (let i = 0; i < 400; i++) {
      await syncPod(h.ctx, pod);
      if ([...h.runtime.containers.values()].some((c) => c.state === 'CONTAINER_RUNNING')) break;
      h.clock.step(1000);
    }
    const running = [...h.runtime.containers.values()].find((c) => c.state === 'CONTAINER_RUNNING')!;
    h.clock.step(11 * 60_000);
    h.runtime.exit(running, 1);
    const before = h.runtime.calls.length;
    await syncPod(h.ctx, pod);
    expect(h.runtime.calls.slice(before).some((c) => c.startsWith('StartContainer'))).toBe(true);
    expect(h.ctx.backoff.get(`${pod.metadata.uid}/app`)).toBe(10_000);
  });

  it.each([
    { policy: 'Never' as const, exitCode: 0, phase: 'Succeeded', restarts: false },
    { policy: 'Never' as const, exitCode: 1, phase: 'Failed', restarts: false },
    { policy: 'OnFailure' as const, exitCode: 0, phase: 'Succeeded', restarts: false },
    { policy: 'OnFailure' as const, exitCode: 1, phase: 'Running', restarts: true },
    { policy: 'Always' as const, exitCode: 0, phase: 'Running', restarts: true },
  ])('restartPolicy $policy with exit code $exitCode: phase $phase, restarts $restarts', async ({ policy, exitCode, phase, restarts }) => {
    h.runtime.onStart = (c) => (c.attempt === 0 ? exitCode : undefined);
    const pod = makePod(`p-${policy.toLowerCase()}-${exitCode}`, { restartPolicy: policy });
    await syncPod(h.ctx, pod);
    const s = await statusAfterSync(pod);
    expect(s.phase).toBe(phase);
    expect(h.runtime.calls.some((c) => c.startsWith('StartContainer app#1'))).toBe(restarts);
  });

  it('adopts an existing sandbox and container carrying the pod uid label', async () => {
    const pod = makePod('adopt');
    await syncPod(h.ctx, pod);
    // A fresh context over the same runtime stands for a restarted kubelet.
    const fresh = newHarness();
    try {
      const ctx2 = { ...fresh.ctx, runtime: h.runtime };
      const before = h.runtime.calls.length;
      const out = await syncPod(ctx2, pod);
      expect(creates(h.runtime.calls.slice(before))).toEqual([]);
      expect(out.state.containers.map((c) => c.name)).toEqual(['app']);
      expect(h.runtime.podContainers(pod.metadata.uid!)[0]?.config.labels?.[podUidLabel]).toBe(pod.metadata.uid);
    } finally {
      fresh.cleanup();
    }
  });

  it('replaces a dead sandbox with a new attempt and restarts the containers in it', async () => {
    const pod = makePod('sbdead');
    await syncPod(h.ctx, pod);
    const sb = [...h.runtime.sandboxes.values()][0]!;
    await h.runtime.stopPodSandbox({ pod_sandbox_id: sb.id });
    await syncPod(h.ctx, pod);
    const sandboxes = [...h.runtime.sandboxes.values()].filter((s) => s.state === 'SANDBOX_READY');
    expect(sandboxes.map((s) => s.config.metadata?.attempt)).toEqual([1]);
    expect(h.runtime.calls).toContain('StartContainer app#1');
  });

  it('reports ErrImagePull, then ImagePullBackOff while the pull backs off', async () => {
    h.runtime.unpullable.add('nope:v1');
    const pod = makePod('img', { containers: [{ name: 'app', image: 'nope:v1' }] });
    let s = await statusAfterSync(pod);
    expect(s.containerStatuses?.[0]?.state?.waiting?.reason).toBe('ErrImagePull');
    s = await statusAfterSync(pod);
    expect(s.containerStatuses?.[0]?.state?.waiting?.reason).toBe('ImagePullBackOff');
    expect(s.phase).toBe('Pending');
  });

  it('never pulls with imagePullPolicy Never and an absent image', async () => {
    const pod = makePod('never', { containers: [{ name: 'app', image: 'absent:v1', imagePullPolicy: 'Never' }] });
    const s = await statusAfterSync(pod);
    expect(s.containerStatuses?.[0]?.state?.waiting?.reason).toBe('ErrImageNeverPull');
    expect(h.runtime.calls.filter((c) => c.startsWith('PullImage'))).toEqual([]);
  });

  it('pulls every time with imagePullPolicy Always', async () => {
    const pod = makePod('always', { containers: [{ name: 'app', image: 'skiff/busybox:v1', imagePullPolicy: 'Always' }] });
    await syncPod(h.ctx, pod);
    expect(h.runtime.calls).toContain('PullImage skiff/busybox:v1');
  });

  it('shows CreateContainerConfigError for a missing ConfigMap and starts once it exists', async () => {
    const pod = makePod('cfg', { containers: [{ name: 'app', image: 'skiff/busybox:v1', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cm', key: 'x' } } }] }] });
    let s = await statusAfterSync(pod);
    expect(s.containerStatuses?.[0]?.state?.waiting).toEqual({ reason: 'CreateContainerConfigError', message: 'configmap "cm" not found' });
    h.objects.configMaps.set('ns/cm', { metadata: { name: 'cm', namespace: 'ns' }, data: { x: 'hello' } });
    s = await statusAfterSync(pod);
    const c = h.runtime.podContainers(pod.metadata.uid!)[0]!;
    expect(c.config.envs).toContainEqual({ key: 'X', value: 'hello' });
    expect(s.containerStatuses?.[0]?.state?.running).toBeDefined();
  });

  it('maps resources and security context to the CRI Linux config', async () => {
    const pod = makePod('res', {
      containers: [{
        name: 'app', image: 'skiff/busybox:v1',
        resources: { requests: { cpu: '250m' }, limits: { cpu: '500m', memory: '64Mi' } },
        securityContext: { runAsUser: 1000, privileged: false, readOnlyRootFilesystem: true, capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] } },
      }],
    });
    await syncPod(h.ctx, pod);
    const linux = h.runtime.podContainers(pod.metadata.uid!)[0]!.config.linux!;
    expect(linux.resources).toMatchObject({ cpu_shares: '256', cpu_quota: '50000', cpu_period: '100000', memory_limit_in_bytes: String(64 * 1024 * 1024) });
    expect(linux.security_context).toMatchObject({ readonly_rootfs: true, run_as_user: { value: 1000 }, capabilities: { add_capabilities: ['NET_ADMIN'], drop_capabilities: ['ALL'] } });
  });
});

describe('postStart hook', () => {
  it('kills the container when its postStart hook fails, and it restarts per policy', async () => {
    h.runtime.onExec = (_c, cmd) => (cmd.includes('fail') ? 1 : 0);
    const pod = makePod('hooked', {
      terminationGracePeriodSeconds: 5,
      containers: [{ name: 'app', image: 'skiff/busybox:v1', lifecycle: { postStart: { exec: { command: ['sh', '-c', 'fail'] } } } }],
    });
    await syncPod(h.ctx, pod);
    const seq = h.runtime.calls.filter((c) => /^(StartContainer|ExecSync|StopContainer)/.test(c));
    expect(seq).toEqual(['StartContainer app#0', 'ExecSync app#0 sh -c fail', 'StopContainer app#0 timeout=5']);
    await syncPod(h.ctx, pod);
    expect(h.runtime.calls).toContain('StartContainer app#1');
  });
});

describe('sandbox housekeeping', () => {
  it('stops an older sandbox that is still running, keeping the newest', async () => {
    const pod = makePod('twosb');
    await syncPod(h.ctx, pod);
    // A second ready sandbox with a newer attempt, as a kubelet killed mid-way could leave behind.
    await h.runtime.runPodSandbox({ config: { metadata: { name: 'twosb', namespace: 'ns', uid: pod.metadata.uid, attempt: 1 }, labels: h.runtime.podContainers(pod.metadata.uid!)[0]!.config.labels } });
    await syncPod(h.ctx, pod);
    const ready = [...h.runtime.sandboxes.values()].filter((s) => s.state === 'SANDBOX_READY');
    expect(ready.map((s) => s.config.metadata?.attempt)).toEqual([1]);
    expect(h.runtime.calls).toContain('StartContainer app#1');
  });
});
