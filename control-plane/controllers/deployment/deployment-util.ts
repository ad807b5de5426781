// Deployment arithmetic and annotations (upstream's pkg/controller/deployment/util).
import { scaledValueFromIntOrPercent } from '../../../api/index.js';
import type { Deployment, DeploymentStatus, ReplicaSet, WorkloadCondition } from '../../../api/index.js';
import { parseTime } from '../time.js';
import { equalIgnoreHash } from './pod-template-hash.js';

export const revisionAnnotation = 'deployment.kubernetes.io/revision';
export const desiredReplicasAnnotation = 'deployment.kubernetes.io/desired-replicas';
export const maxReplicasAnnotation = 'deployment.kubernetes.io/max-replicas';

/** Deployment annotations never copied to its ReplicaSets (upstream's annotationsToSkip). */
const annotationsToSkip = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  revisionAnnotation,
  'deployment.kubernetes.io/revision-history',
  desiredReplicasAnnotation,
  maxReplicasAnnotation,
  'deprecated.deployment.rollback.to',
]);

// Upstream's condition reasons, which `kubectl rollout status` and users match on.
export const reasonNewRSAvailable = 'NewReplicaSetAvailable';
export const reasonRSUpdated = 'ReplicaSetUpdated';
export const reasonNewRSCreated = 'NewReplicaSetCreated';
export const reasonFoundNewRS = 'FoundNewReplicaSet';
export const reasonTimedOut = 'ProgressDeadlineExceeded';
export const reasonPaused = 'DeploymentPaused';
export const reasonResumed = 'DeploymentResumed';
export const reasonMinimumAvailable = 'MinimumReplicasAvailable';
export const reasonMinimumUnavailable = 'MinimumReplicasUnavailable';

export function replicasOf(obj: Deployment | ReplicaSet): number {
  return obj.spec?.replicas ?? 1;
}

export function revisionOf(rs: ReplicaSet): number {
  const n = Number(rs.metadata.annotations?.[revisionAnnotation] ?? '0');
  return Number.isFinite(n) ? n : 0;
}

export function maxRevision(rss: ReplicaSet[]): number {
  return rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

export function isRollingUpdate(d: Deployment): boolean {
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/** maxSurge resolved against replicas, rounding up (0 for Recreate). */
export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const replicas = replicasOf(d);
  const surge = scaledValueFromIntOrPercent(d.spec?.strategy?.rollingUpdate?.maxSurge ?? '25%', replicas, true);
  const unavailable = scaledValueFromIntOrPercent(d.spec?.strategy?.rollingUpdate?.maxUnavailable ?? '25%', replicas, false);
  // Both zero would deadlock a rollout; upstream then allows one unavailable pod instead.
  return surge === 0 && unavailable === 0 ? 0 : surge;
}

/** maxUnavailable resolved against replicas, rounding down, at least 1 if maxSurge is 0, at most replicas. */
export function maxUnavailable(d: Deployment): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const surge = scaledValueFromIntOrPercent(d.spec?.strategy?.rollingUpdate?.maxSurge ?? '25%', replicas, true);
  let unavailable = scaledValueFromIntOrPercent(d.spec?.strategy?.rollingUpdate?.maxUnavailable ?? '25%', replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return Math.min(unavailable, replicas);
}

export function specReplicas(rss: ReplicaSet[]): number {
  return rss.reduce((n, rs) => n + (rs.spec?.replicas ?? 0), 0);
}

export function actualReplicas(rss: ReplicaSet[]): number {
  return rss.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);
}

export function readyReplicas(rss: ReplicaSet[]): number {
  return rss.reduce((n, rs) => n + (rs.status?.readyReplicas ?? 0), 0);
}

/**
 * Available pods as the rollout may count them. An RS scaled down a moment ago still reports the pods it
 * is deleting as available until its controller syncs; counting at most spec.replicas per RS keeps a
 * second scale-down from trusting pods that are already on their way out.
 */
export function availableReplicas(rss: ReplicaSet[]): number {
  return rss.reduce((n, rs) => n + Math.min(rs.status?.availableReplicas ?? 0, rs.spec?.replicas ?? 0), 0);
}

/** The ReplicaSet whose template is the deployment's (the oldest if several), or undefined. */
export function findNewReplicaSet(d: Deployment, rss: ReplicaSet[]): ReplicaSet | undefined {
  return byCreation(rss).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

export function byCreation(rss: ReplicaSet[]): ReplicaSet[] {
  return [...rss].sort((a, b) => {
    const ta = parseTime(a.metadata.creationTimestamp) ?? 0;
    const tb = parseTime(b.metadata.creationTimestamp) ?? 0;
    return ta !== tb ? ta - tb : (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
  });
}

/** The annotations a new or reused ReplicaSet should carry: the deployment's own plus revision and sizes. */
export function replicaSetAnnotations(d: Deployment, current: Record<string, string> | undefined, revision: number): Record<string, string> {
  const out: Record<string, string> = { ...(current ?? {}) };
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (!annotationsToSkip.has(k)) out[k] = v;
  const existing = Number(out[revisionAnnotation] ?? '0');
  if (!(existing >= revision)) out[revisionAnnotation] = String(revision);
  out[desiredReplicasAnnotation] = String(replicasOf(d));
  out[maxReplicasAnnotation] = String(replicasOf(d) + maxSurge(d));
  return out;
}

export function getCondition(status: DeploymentStatus | undefined, type: string): WorkloadCondition | undefined {
  return (status?.conditions ?? []).find((c) => c.type === type);
}

/** Upstream's SetDeploymentCondition: same status and reason keeps the old one; same status keeps its transition time. */
export function setCondition(status: DeploymentStatus, cond: WorkloadCondition): void {
  const current = getCondition(status, cond.type);
  if (current && current.status === cond.status && current.reason === cond.reason) return;
  if (current && current.status === cond.status) cond.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== cond.type), cond];
}

export function newCondition(type: string, status: WorkloadCondition['status'], reason: string, message: string, now: string): WorkloadCondition {
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

export function hasProgressDeadline(d: Deployment): boolean {
  const s = d.spec?.progressDeadlineSeconds;
  return s !== undefined && s !== 2147483647;
}
