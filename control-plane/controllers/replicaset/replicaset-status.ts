// A ReplicaSet's status from its pods (upstream's calculateStatus).
import type { Pod, ReplicaSet, ReplicaSetStatus, WorkloadCondition } from '../../../api/index.js';
import { isPodAvailable, isPodReady } from '../pod-util.js';

export function calculateReplicaSetStatus(rs: ReplicaSet, pods: Pod[], nowMs: number, nowTime: string, failure?: string): ReplicaSetStatus {
  const templateLabels = rs.spec?.template?.metadata?.labels ?? {};
  const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
  const fullyLabeled = pods.filter((p) => Object.entries(templateLabels).every(([k, v]) => p.metadata.labels?.[k] === v));
  const status: ReplicaSetStatus = {
    replicas: pods.length,
    fullyLabeledReplicas: fullyLabeled.length,
    readyReplicas: pods.filter(isPodReady).length,
    availableReplicas: pods.filter((p) => isPodAvailable(p, minReadySeconds, nowMs)).length,
    observedGeneration: rs.metadata.generation ?? 0,
  };
  const conditions = (rs.status?.conditions ?? []).filter((c) => c.type !== 'ReplicaFailure');
  if (failure !== undefined) {
    const existing = rs.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
    const cond: WorkloadCondition = {
      type: 'ReplicaFailure',
      status: 'True',
      lastTransitionTime: existing?.status === 'True' ? (existing.lastTransitionTime ?? nowTime) : nowTime,
      reason: 'FailedCreate',
      message: failure,
    };
    conditions.push(cond);
  }
  if (conditions.length > 0) status.conditions = conditions;
  return status;
}

/** Status fields compared as the API stores them (absent numbers are 0). */
export function sameReplicaSetStatus(a: ReplicaSetStatus | undefined, b: ReplicaSetStatus): boolean {
  const n = (v: number | undefined): number => v ?? 0;
  return (
    a !== undefined &&
    n(a.replicas) === n(b.replicas) &&
    n(a.fullyLabeledReplicas) === n(b.fullyLabeledReplicas) &&
    n(a.readyReplicas) === n(b.readyReplicas) &&
    n(a.availableReplicas) === n(b.availableReplicas) &&
    n(a.observedGeneration) === n(b.observedGeneration) &&
    JSON.stringify(a.conditions ?? []) === JSON.stringify(b.conditions ?? [])
  );
}
