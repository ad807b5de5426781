// Pods: READY and STATUS computed as upstream's printPod does, so `kubectl get pods` reads the same
// (Init:0/1, ContainerCreating, CrashLoopBackOff, Completed, Terminating, ...).
import type { KubeObject } from '../../../api/object.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { at, int, type Json, list, str } from './fields.js';
import { ageSince } from './human-duration.js';
import type { Printer, TableRowCondition } from './table-types.js';

interface PodSummary {
  ready: string;
  status: string;
  restarts: string;
}

function isRestartableInit(container: Json | undefined): boolean {
  return str(container?.restartPolicy) === 'Always';
}

function laterOf(a: string, b: unknown): string {
  const candidate = str(b);
  if (candidate === '') return a;
  if (a === '' || Date.parse(candidate) > Date.parse(a)) return candidate;
  return a;
}

function terminatedReason(terminated: Json, prefix: string): string {
  if (str(terminated.reason) !== '') return `${prefix}${str(terminated.reason)}`;
  if (int(terminated.signal) !== 0) return `${prefix}Signal:${int(terminated.signal)}`;
  return `${prefix}ExitCode:${int(terminated.exitCode)}`;
}

function hasCondition(pod: KubeObject, type: string): boolean {
  return list(at(pod, 'status', 'conditions')).some((c) => c.type === type && c.status === 'True');
}

export function summarizePod(pod: KubeObject, now: Date): PodSummary {
  const status = at(pod, 'status');
  const phase = str(at(status, 'phase'));
  let reason = str(at(status, 'reason')) || phase;
  if (list(at(status, 'conditions')).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) {
    reason = 'SchedulingGated';
  }
  const initSpecs = list(at(pod, 'spec', 'initContainers'));
  const initByName = new Map(initSpecs.map((c) => [str(c.name), c]));
  let total = list(at(pod, 'spec', 'containers')).length + initSpecs.filter(isRestartableInit).length;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart = '';
  let lastSidecarRestart = '';
  let initializing = false;

  const initStatuses = list(at(status, 'initContainerStatuses'));
  for (const [i, c] of initStatuses.entries()) {
    restarts += int(c.restartCount);
    lastRestart = laterOf(lastRestart, at(c, 'lastState', 'terminated', 'finishedAt'));
    const restartable = isRestartableInit(initByName.get(str(c.name)));
    if (restartable) {
      sidecarRestarts += int(c.restartCount);
      lastSidecarRestart = laterOf(lastSidecarRestart, at(c, 'lastState', 'terminated', 'finishedAt'));
    }
    const terminated = at(c, 'state', 'terminated');
    const waitingReason = str(at(c, 'state', 'waiting', 'reason'));
    if (terminated !== undefined && int(at(terminated, 'exitCode')) === 0) continue;
    if (restartable && c.started === true) {
      if (c.ready === true) ready++;
      continue;
    }
    if (terminated !== undefined) reason = terminatedReason(terminated as Json, 'Init:');
    else if (waitingReason !== '' && waitingReason !== 'PodInitializing') reason = `Init:${waitingReason}`;
    else reason = `Init:${i}/${initSpecs.length}`;
    initializing = true;
    break;
  }

  if (!initializing || hasCondition(pod, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = list(at(status, 'containerStatuses'));
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i] as Json;
      restarts += int(c.restartCount);
      lastRestart = laterOf(lastRestart, at(c, 'lastState', 'terminated', 'finishedAt'));
      const waitingReason = str(at(c, 'state', 'waiting', 'reason'));
      const terminated = at(c, 'state', 'terminated');
      if (waitingReason !== '') reason = waitingReason;
      else if (terminated !== undefined) reason = terminatedReason(terminated as Json, '');
      else if (c.ready === true && at(c, 'state', 'running') !== undefined) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = hasCondition(pod, 'Ready') ? 'Running' : 'NotReady';
  }

  const deleting = pod.metadata.deletionTimestamp !== undefined;
  if (deleting && str(at(status, 'reason')) === 'NodeLost') reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  total = Math.max(total, 0);
  const restartText =
    restarts !== 0 && lastRestart !== '' ? `${restarts} (${ageSince(lastRestart, now)} ago)` : String(restarts);
  return { ready: `${ready}/${total}`, status: reason, restarts: restartText };
}

function readinessGates(pod: KubeObject): string {
  const gates = list(at(pod, 'spec', 'readinessGates'));
  if (gates.length === 0) return '<none>';
  const conditions = list(at(pod, 'status', 'conditions'));
  const trueCount = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${trueCount}/${gates.length}`;
}

export const podPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'The aggregate status of the containers in this pod.'),
    column('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    ageColumn,
    column('IP', 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', { wide: true }),
    column('Node', 'NodeName is a request to schedule this pod onto a specific node.', { wide: true }),
    column('Nominated Node', 'nominatedNodeName is set only when this pod preempts other pods on the node.', { wide: true }),
    column('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.', { wide: true }),
  ],
  cells(pod, now) {
    const s = summarizePod(pod, now);
    const ip = str(at(list(at(pod, 'status', 'podIPs'))[0], 'ip')) || str(at(pod, 'status', 'podIP'));
    return [
      pod.metadata.name ?? '',
      s.ready,
      s.status,
      s.restarts,
      ageSince(pod.metadata.creationTimestamp, now),
      ip || '<none>',
      str(at(pod, 'spec', 'nodeName')) || '<none>',
      str(at(pod, 'status', 'nominatedNodeName')) || '<none>',
      readinessGates(pod),
    ];
  },
  conditions(pod): TableRowCondition[] | undefined {
    // Upstream marks finished pods so clients can tell them apart (kubectl's --show-all era).
    const phase = str(at(pod, 'status', 'phase'));
    if (phase === 'Succeeded') return [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
    if (phase === 'Failed') return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod has failed.' }];
    return undefined;
  },
};
