// The whole pod status from the runtime state, as upstream's generateAPIPodStatus: container statuses,
// phase, conditions (lastTransitionTime kept while a condition's status stays the same), IPs, start time,
// QoS class. Pure: the status manager decides whether it is worth writing.
import { podQOSClass, type ContainerStatus, type Pod, type PodCondition, type PodStatus } from '../../../api/index.js';
import type { PodRuntimeState } from '../runtime-state.js';
import { toTime } from '../time.js';
import { containerStatus, type ProbeView, type Waiting } from './container-statuses.js';
import { podPhase } from './pod-phase.js';

export interface PodStatusInput {
  pod: Pod;
  state: PodRuntimeState;
  /** Waiting reasons by container name, from the last sync. */
  waiting: Map<string, Waiting>;
  probes: ProbeView;
  hostIP: string;
  nowMs: number;
}

function condition(old: PodCondition[] | undefined, type: string, ok: boolean, nowMs: number, reason?: string, message?: string): PodCondition {
  const status = ok ? 'True' : 'False';
  const prev = old?.find((c) => c.type === type);
  const c: PodCondition = { type, status, lastProbeTime: null, lastTransitionTime: prev && prev.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : toTime(nowMs) };
  if (!ok && reason) c.reason = reason;
  if (!ok && message) c.message = message;
  return c;
}

function list(names: string[]): string {
  return `[${names.join(' ')}]`;
}

/** The status the kubelet wants the pod to have. */
export function computePodStatus(input: PodStatusInput): PodStatus {
  const { pod, state, waiting, probes, nowMs } = input;
  const spec = pod.spec ?? { containers: [] };
  const old = pod.status ?? {};
  const initDone = (spec.initContainers ?? []).every((c) => {
    const latest = state.containers.filter((x) => x.name === c.name).sort((a, b) => b.attempt - a.attempt)[0];
    return latest?.state === 'CONTAINER_EXITED' && latest.exitCode === 0;
  });
  const initStatuses: ContainerStatus[] = (spec.initContainers ?? []).map((c) => containerStatus(c, state, waiting.get(c.name), probes, 'PodInitializing'));
  const statuses: ContainerStatus[] = spec.containers.map((c) => containerStatus(c, state, waiting.get(c.name), probes, initDone ? 'ContainerCreating' : 'PodInitializing'));
  for (const s of initStatuses) if (s.state?.terminated?.exitCode === 0) s.ready = true;
  let phase = podPhase(spec, initStatuses, statuses);
  // A terminal phase is final (upstream never leaves Succeeded/Failed).
  if (old.phase === 'Succeeded' || old.phase === 'Failed') phase = old.phase;
  const sandbox = state.sandboxes[0];
  const sandboxReady = sandbox?.state === 'SANDBOX_READY';
  const podIP = spec.hostNetwork ? input.hostIP : sandboxReady ? sandbox.ip : (old.podIP ?? '');
  const incompleteInit = initStatuses.filter((s) => !(s.state?.terminated?.exitCode === 0)).map((s) => s.name);
  const unready = statuses.filter((s) => !s.ready).map((s) => s.name);
  const oldConds = old.conditions;
  const completed = phase === 'Succeeded';
  const conditions: PodCondition[] = [
    condition(oldConds, 'PodReadyToStartContainers', sandboxReady, nowMs),
    completed
      ? condition(oldConds, 'Initialized', true, nowMs)
      : condition(oldConds, 'Initialized', incompleteInit.length === 0, nowMs, 'ContainersNotInitialized', `containers with incomplete status: ${list(incompleteInit)}`),
    completed
      ? condition(oldConds, 'Ready', false, nowMs, 'PodCompleted')
      : condition(oldConds, 'Ready', unready.length === 0, nowMs, 'ContainersNotReady', `containers with unready status: ${list(unready)}`),
    completed
      ? condition(oldConds, 'ContainersReady', false, nowMs, 'PodCompleted')
      : condition(oldConds, 'ContainersReady', unready.length === 0, nowMs, 'ContainersNotReady', `containers with unready status: ${list(unready)}`),
    condition(oldConds, 'PodScheduled', true, nowMs),
  ];
  const status: PodStatus = {
    phase,
    conditions,
    hostIP: input.hostIP,
    hostIPs: [{ ip: input.hostIP }],
    startTime: old.startTime ?? toTime(nowMs),
    containerStatuses: statuses,
    qosClass: podQOSClass(spec),
  };
  if (podIP) {
    status.podIP = podIP;
    status.podIPs = [{ ip: podIP }];
  }
  if (spec.initContainers?.length) status.initContainerStatuses = initStatuses;
  return status;
}
