// The pod phase from container statuses, as upstream's getPhase (kubelet_pods.go).
import type { ContainerStatus, PodPhase, PodSpec } from '../../../api/index.js';

function isSidecar(spec: PodSpec, name: string): boolean {
  return spec.initContainers?.find((c) => c.name === name)?.restartPolicy === 'Always';
}

/** Pending/Running/Succeeded/Failed for `spec` with these statuses. */
export function podPhase(spec: PodSpec, initStatuses: ContainerStatus[], statuses: ContainerStatus[]): PodPhase {
  const policy = spec.restartPolicy ?? 'Always';
  let pendingInit = 0;
  let failedInit = 0;
  for (const c of spec.initContainers ?? []) {
    if (isSidecar(spec, c.name)) continue;
    const s = initStatuses.find((x) => x.name === c.name);
    if (!s?.state) {
      pendingInit++;
      continue;
    }
    if (s.state.running) pendingInit++;
    else if (s.state.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInit++;
    } else if (s.state.waiting) {
      if (s.lastState?.terminated && s.lastState.terminated.exitCode !== 0) failedInit++;
      else pendingInit++;
    }
  }
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of spec.containers) {
    const s = statuses.find((x) => x.name === c.name);
    if (!s?.state) {
      waiting++;
      continue;
    }
    if (s.state.running) running++;
    else if (s.state.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.lastState?.terminated) stopped++;
    else waiting++;
  }
  if (failedInit > 0 && policy === 'Never') return 'Failed';
  if (pendingInit > 0 || (failedInit > 0 && policy !== 'Never')) return 'Pending';
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}
