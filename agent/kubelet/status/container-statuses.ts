// Container statuses from the runtime state, as upstream's convertToAPIContainerStatuses: the newest attempt
// gives state (running/terminated), the one before it lastState; a container the kubelet is holding back
// (CrashLoopBackOff, ErrImagePull, ...) shows as waiting with its last run as lastState.
import type { Container, ContainerState, ContainerStatus } from '../../../api/index.js';
import type { ContainerRecord, PodRuntimeState } from '../runtime-state.js';
import { attemptsOf } from '../runtime-state.js';
import { toTime } from '../time.js';

/** Why a container is not running, as the pod worker decided in its last sync. */
export interface Waiting {
  reason: string;
  message?: string;
}

/** What probes said about a running container. */
export interface ProbeView {
  ready(containerId: string): boolean;
  started(containerId: string): boolean;
}

export const runtimePrefix = 'docker://';

function terminated(r: ContainerRecord): ContainerState {
  return {
    terminated: {
      exitCode: r.exitCode,
      reason: r.reason || (r.exitCode === 0 ? 'Completed' : 'Error'),
      ...(r.message ? { message: r.message } : {}),
      startedAt: toTime(r.startedAtMs || r.createdAtMs),
      finishedAt: toTime(r.finishedAtMs),
      containerID: runtimePrefix + r.id,
    },
  };
}

/** The status of one container of the pod. */
export function containerStatus(c: Container, state: PodRuntimeState, waiting: Waiting | undefined, probes: ProbeView, defaultWaiting: string): ContainerStatus {
  const [latest, previous] = attemptsOf(state, c.name);
  const base: ContainerStatus = { name: c.name, ready: false, restartCount: latest?.attempt ?? 0, image: c.image ?? '', imageID: '', started: false };
  if (!latest) return { ...base, state: { waiting: { reason: waiting?.reason ?? defaultWaiting, ...(waiting?.message ? { message: waiting.message } : {}) } }, lastState: {} };
  const withIds: ContainerStatus = { ...base, imageID: latest.imageRef, containerID: runtimePrefix + latest.id };
  if (latest.state === 'CONTAINER_RUNNING') {
    return {
      ...withIds,
      state: { running: { startedAt: toTime(latest.startedAtMs) } },
      lastState: previous && previous.state === 'CONTAINER_EXITED' ? terminated(previous) : {},
      ready: probes.ready(latest.id),
      started: probes.started(latest.id),
    };
  }
  if (latest.state === 'CONTAINER_EXITED') {
    if (waiting) {
      const w: ContainerState = { waiting: { reason: waiting.reason, ...(waiting.message ? { message: waiting.message } : {}) } };
      return { ...withIds, state: w, lastState: terminated(latest) };
    }
    return { ...withIds, state: terminated(latest), lastState: previous && previous.state === 'CONTAINER_EXITED' ? terminated(previous) : {} };
  }
  return { ...withIds, state: { waiting: { reason: waiting?.reason ?? 'ContainerCreating' } }, lastState: previous ? terminated(previous) : {} };
}
