// One level-triggered sync of a running pod, as upstream's SyncPod/computePodActions: compare the pod spec
// with the runtime state and take the next steps: a sandbox (a new one, with every container restarted,
// when the old one died), volumes, init containers one at a time to completion, then app containers,
// restarting exited ones per restartPolicy behind the per-container back-off, and killing those that failed
// liveness or startup probes. Returns what the status needs and when to look again.
import type { Container, Pod } from '../../api/index.js';
import type { DeepPartial, PodSandboxConfig } from '../cri/types.js';
import { formatGoDuration } from './backoff.js';
import { startContainer } from './container-starter.js';
import { ContainerConfigError } from './env.js';
import { formatPod, podKey } from './labels.js';
import { killPod } from './pod-killer.js';
import { shouldRestart } from './restart-policy.js';
import { attemptsOf, nextAttempt, readPodState, type ContainerRecord, type PodRuntimeState } from './runtime-state.js';
import { sandboxConfig } from './sandbox-config.js';
import type { Waiting } from './status/index.js';
import type { SyncContext } from './sync-context.js';
import { setUpVolumes, type VolumePaths } from './volumes.js';

export interface SyncOutcome {
  state: PodRuntimeState;
  waiting: Map<string, Waiting>;
  /** Sync again after this many ms (a back-off ends), if set. */
  requeueAfterMs?: number;
}

interface Step {
  pod: Pod;
  state: PodRuntimeState;
  sandboxId: string;
  sandboxConfig: DeepPartial<PodSandboxConfig>;
  volumes: VolumePaths;
  podIP: string;
  waiting: Map<string, Waiting>;
  requeue: number[];
}

function isTerminalPhase(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

function backoffKey(pod: Pod, c: Container): string {
  return `${pod.metadata.uid ?? ''}/${c.name}`;
}

/** True when no app container would run again: all exited and none to restart under the policy. */
function podIsDone(pod: Pod, state: PodRuntimeState): boolean {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (policy === 'Always') return false;
  return (pod.spec?.containers ?? []).every((c) => {
    const latest = attemptsOf(state, c.name)[0];
    return latest?.state === 'CONTAINER_EXITED' && !shouldRestart(policy, latest.exitCode);
  });
}

/** Ensures the back-off allows restarting `c` (recording the restart); otherwise marks it CrashLoopBackOff. */
function mayRestart(ctx: SyncContext, step: Step, c: Container, latest: ContainerRecord): boolean {
  const key = backoffKey(step.pod, c);
  if (ctx.backoff.isInBackOffSince(key, latest.finishedAtMs)) {
    const d = formatGoDuration(ctx.backoff.get(key));
    step.waiting.set(c.name, { reason: 'CrashLoopBackOff', message: `back-off ${d} restarting failed container=${c.name} pod=${formatPod(step.pod)}` });
    step.requeue.push(ctx.backoff.remainingMs(key, latest.finishedAtMs));
    return false;
  }
  ctx.backoff.next(key, latest.finishedAtMs);
  return true;
}

async function start(ctx: SyncContext, step: Step, c: Container): Promise<boolean> {
  const waiting = await startContainer(ctx, {
    pod: step.pod,
    container: c,
    attempt: nextAttempt(step.state, c.name),
    sandboxId: step.sandboxId,
    sandboxConfig: step.sandboxConfig,
    volumes: step.volumes,
    podIP: step.podIP,
  });
  if (!waiting) return true;
  step.waiting.set(c.name, waiting);
  const retry = waiting.reason === 'ImagePullBackOff' || waiting.reason === 'ErrImagePull' ? ctx.images.retryInMs(step.pod.metadata.uid ?? '', c.image ?? '') : 0;
  step.requeue.push(Math.max(retry, 1000));
  return false;
}

/** Init containers in order; true once all have completed successfully. */
async function syncInitContainers(ctx: SyncContext, step: Step): Promise<boolean> {
  const policy = step.pod.spec?.restartPolicy ?? 'Always';
  for (const c of step.pod.spec?.initContainers ?? []) {
    const latest = attemptsOf(step.state, c.name, step.sandboxId)[0];
    if (latest?.state === 'CONTAINER_EXITED' && latest.exitCode === 0) continue;
    if (latest?.state === 'CONTAINER_RUNNING') return false;
    if (latest?.state === 'CONTAINER_CREATED') {
      await ctx.runtime.startContainer({ container_id: latest.id }).catch(() => undefined);
      return false;
    }
    if (latest?.state === 'CONTAINER_EXITED') {
      if (policy === 'Never') return false; // the pod has failed
      if (!mayRestart(ctx, step, c, latest)) return false;
    }
    await start(ctx, step, c);
    return false;
  }
  return true;
}

async function syncAppContainers(ctx: SyncContext, step: Step): Promise<void> {
  const pod = step.pod;
  const policy = pod.spec?.restartPolicy ?? 'Always';
  for (const c of pod.spec?.containers ?? []) {
    const inSandbox = attemptsOf(step.state, c.name, step.sandboxId)[0];
    const latest = inSandbox ?? attemptsOf(step.state, c.name)[0];
    if (inSandbox?.state === 'CONTAINER_RUNNING') {
      const failed = ctx.probes.failure(inSandbox.id);
      if (failed) {
        const probe = failed === 'liveness' ? c.livenessProbe : c.startupProbe;
        const grace = probe?.terminationGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
        ctx.log.info({ pod: podKey(pod), container: c.name, probe: failed }, `Container ${c.name} failed ${failed} probe, will be restarted`);
        await ctx.runtime.stopContainer({ container_id: inSandbox.id, timeout: grace }).catch(() => undefined);
        step.requeue.push(0);
      }
      continue;
    }
    if (inSandbox?.state === 'CONTAINER_CREATED') {
      await ctx.runtime.startContainer({ container_id: inSandbox.id }).catch(() => undefined);
      continue;
    }
    if (latest?.state === 'CONTAINER_EXITED') {
      if (!shouldRestart(policy, latest.exitCode)) continue;
      if (!mayRestart(ctx, step, c, latest)) continue;
    }
    await start(ctx, step, c);
  }
}

/** Garbage: exited attempts older than the newest two per container, and dead sandboxes nothing uses. */
async function collectGarbage(ctx: SyncContext, state: PodRuntimeState): Promise<void> {
  const names = new Set(state.containers.map((c) => c.name));
  const kept = new Set<string>();
  for (const name of names) {
    const attempts = attemptsOf(state, name);
    attempts.slice(0, 2).forEach((c) => kept.add(c.id));
    for (const old of attempts.slice(2)) {
      if (old.state === 'CONTAINER_EXITED') await ctx.runtime.removeContainer({ container_id: old.id }).catch(() => undefined);
      else kept.add(old.id);
    }
  }
  // An older sandbox still running (a kubelet killed between creating a new one and stopping the old)
  // holds an IP and containers nobody syncs: stop it.
  for (const s of state.sandboxes.slice(1)) {
    if (s.state !== 'SANDBOX_READY') continue;
    for (const c of state.containers) {
      if (c.sandboxId === s.id && c.state === 'CONTAINER_RUNNING') await ctx.runtime.stopContainer({ container_id: c.id, timeout: 0 }).catch(() => undefined);
    }
    await ctx.runtime.stopPodSandbox({ pod_sandbox_id: s.id }).catch(() => undefined);
    s.state = 'SANDBOX_NOTREADY';
  }
  const used = new Set(state.containers.filter((c) => kept.has(c.id)).map((c) => c.sandboxId));
  for (const s of state.sandboxes.slice(1)) {
    if (s.state === 'SANDBOX_NOTREADY' && !used.has(s.id)) await ctx.runtime.removePodSandbox({ pod_sandbox_id: s.id }).catch(() => undefined);
  }
}

/** Brings the runtime one step closer to `pod`'s spec. */
export async function syncPod(ctx: SyncContext, pod: Pod): Promise<SyncOutcome> {
  const uid = pod.metadata.uid ?? '';
  let state = await readPodState(ctx.runtime, uid);
  const waiting = new Map<string, Waiting>();
  if (isTerminalPhase(pod) || (podIsDone(pod, state) && state.sandboxes[0]?.state !== 'SANDBOX_READY')) {
    if (state.containers.some((c) => c.state === 'CONTAINER_RUNNING') || state.sandboxes.some((s) => s.state === 'SANDBOX_READY')) {
      state = await killPod(ctx, uid, pod, pod.spec?.terminationGracePeriodSeconds ?? 30, state);
    }
    return { state, waiting };
  }
  let volumes: VolumePaths;
  try {
    volumes = await setUpVolumes(pod, ctx.dataDir, { objects: ctx.objects, allocatable: ctx.allocatable, podIP: state.sandboxes[0]?.ip ?? '', hostIP: ctx.hostIP });
  } catch (err) {
    if (!(err instanceof ContainerConfigError)) throw err;
    for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) waiting.set(c.name, { reason: 'CreateContainerConfigError', message: err.message });
    return { state, waiting, requeueAfterMs: 2000 };
  }
  let sandbox = state.sandboxes[0];
  if (!sandbox || sandbox.state !== 'SANDBOX_READY') {
    if (sandbox && podIsDone(pod, state)) return { state, waiting };
    if (state.containers.some((c) => c.state === 'CONTAINER_RUNNING')) state = await killPod(ctx, uid, pod, 0, state);
    const attempt = sandbox ? sandbox.attempt + 1 : 0;
    const cfg = sandboxConfig(pod, { attempt, logsRoot: ctx.logsRoot, clusterDNS: ctx.clusterDNS, clusterDomain: ctx.clusterDomain });
    const { pod_sandbox_id } = await ctx.runtime.runPodSandbox({ config: cfg });
    ctx.log.info({ pod: podKey(pod), sandbox: pod_sandbox_id, attempt }, 'sandbox started');
    state = await readPodState(ctx.runtime, uid);
    sandbox = state.sandboxes.find((s) => s.id === pod_sandbox_id);
    if (!sandbox) throw new Error(`sandbox ${pod_sandbox_id} vanished after creation`);
  }
  const podIP = pod.spec?.hostNetwork ? ctx.hostIP : sandbox.ip;
  const step: Step = {
    pod,
    state,
    sandboxId: sandbox.id,
    sandboxConfig: sandboxConfig(pod, { attempt: sandbox.attempt, logsRoot: ctx.logsRoot, clusterDNS: ctx.clusterDNS, clusterDomain: ctx.clusterDomain }),
    volumes,
    podIP,
    waiting,
    requeue: [],
  };
  ctx.probes.syncPod(pod, state, podIP);
  if (await syncInitContainers(ctx, step)) await syncAppContainers(ctx, step);
  state = await readPodState(ctx.runtime, uid);
  await collectGarbage(ctx, state);
  ctx.probes.syncPod(pod, state, podIP);
  const requeueAfterMs = step.requeue.length ? Math.max(0, Math.min(...step.requeue)) : undefined;
  return { state, waiting, requeueAfterMs };
}
