// A deployment's status from its ReplicaSets (upstream's calculateStatus, syncRolloutStatus and
// checkPausedConditions): counts, the Available condition, and the Progressing condition with the
// reasons `kubectl rollout status` understands, including ProgressDeadlineExceeded.
import type { Deployment, DeploymentStatus, ReplicaSet } from '../../../api/index.js';
import { deploymentsResource } from '../resources.js';
import { writeStatus } from '../status-writer.js';
import { parseTime, timestamp } from '../time.js';
import {
  actualReplicas,
  getCondition,
  hasProgressDeadline,
  maxUnavailable,
  newCondition,
  readyReplicas,
  reasonMinimumAvailable,
  reasonMinimumUnavailable,
  reasonNewRSAvailable,
  reasonPaused,
  reasonResumed,
  reasonRSUpdated,
  reasonTimedOut,
  replicasOf,
  setCondition,
  specReplicas,
} from './deployment-util.js';
import type { DeploymentSyncContext } from './sync-context.js';

function rsAvailable(rss: ReplicaSet[]): number {
  return rss.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
}

export function calculateStatus(d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet | undefined, now: string): DeploymentStatus {
  const available = rsAvailable(allRSs);
  const status: DeploymentStatus = {
    ...(d.status?.conditions ? { conditions: structuredClone(d.status.conditions) } : {}),
    observedGeneration: d.metadata.generation ?? 0,
    replicas: actualReplicas(allRSs),
    updatedReplicas: newRS ? actualReplicas([newRS]) : 0,
    readyReplicas: readyReplicas(allRSs),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, specReplicas(allRSs) - available),
    ...(d.status?.collisionCount !== undefined ? { collisionCount: d.status.collisionCount } : {}),
  };
  if (available >= replicasOf(d) - maxUnavailable(d)) {
    setCondition(status, newCondition('Available', 'True', reasonMinimumAvailable, 'Deployment has minimum availability.', now));
  } else {
    setCondition(status, newCondition('Available', 'False', reasonMinimumUnavailable, 'Deployment does not have minimum availability.', now));
  }
  return status;
}

/** Every replica updated and available, and the latest spec observed (upstream's DeploymentComplete). */
export function deploymentComplete(d: Deployment, s: DeploymentStatus): boolean {
  const replicas = replicasOf(d);
  return s.updatedReplicas === replicas && s.replicas === replicas && s.availableReplicas === replicas && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

/** Whether anything moved forward since the stored status (upstream's DeploymentProgressing). */
function deploymentProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (
    (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

function deploymentTimedOut(d: Deployment, s: DeploymentStatus, nowMs: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const cond = getCondition(s, 'Progressing');
  if (!cond) return false;
  if (cond.reason === reasonNewRSAvailable) return false;
  if (cond.reason === reasonTimedOut) return true;
  const from = parseTime(cond.lastUpdateTime);
  return from !== undefined && from + (d.spec?.progressDeadlineSeconds ?? 600) * 1000 < nowMs;
}

function sameStatus(a: DeploymentStatus | undefined, b: DeploymentStatus): boolean {
  return JSON.stringify(normalize(a ?? {})) === JSON.stringify(normalize(b));
}

function normalize(s: DeploymentStatus): unknown {
  const n = (v: number | undefined): number => v ?? 0;
  return [
    n(s.observedGeneration),
    n(s.replicas),
    n(s.updatedReplicas),
    n(s.readyReplicas),
    n(s.availableReplicas),
    n(s.unavailableReplicas),
    n(s.collisionCount),
    (s.conditions ?? []).map((c) => [c.type, c.status, c.reason, c.message, c.lastUpdateTime, c.lastTransitionTime]).sort(),
  ];
}

/** Writes counts and Available only (scaling, paused and deleting deployments). */
export async function syncDeploymentStatus(sc: DeploymentSyncContext, d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet | undefined): Promise<void> {
  const status = calculateStatus(d, allRSs, newRS, timestamp(sc.clock));
  if (sameStatus(d.status, status)) return;
  await writeStatus(sc.client, deploymentsResource, d, status);
}

/** Counts, Available and Progressing; re-queues a stuck rollout for when its deadline passes. */
export async function syncRolloutStatus(sc: DeploymentSyncContext, d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet | undefined): Promise<void> {
  const now = timestamp(sc.clock);
  const nowMs = sc.clock.now();
  const status = calculateStatus(d, allRSs, newRS, now);
  if (!hasProgressDeadline(d)) {
    status.conditions = (status.conditions ?? []).filter((c) => c.type !== 'Progressing');
  }
  const current = getCondition(status, 'Progressing');
  const name = newRS?.metadata.name ?? '';
  if (hasProgressDeadline(d) && current?.reason !== reasonTimedOut) {
    if (deploymentComplete(d, status)) {
      setCondition(status, newCondition('Progressing', 'True', reasonNewRSAvailable, `ReplicaSet "${name}" has successfully progressed.`, now));
    } else if (deploymentProgressing(d, status)) {
      // Progress refreshes lastUpdateTime even with the same reason (upstream handles this case itself).
      const cond = newCondition('Progressing', 'True', reasonRSUpdated, `ReplicaSet "${name}" is progressing.`, now);
      if (current?.status === 'True') cond.lastTransitionTime = current.lastTransitionTime;
      status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== 'Progressing'), cond];
    } else if (deploymentTimedOut(d, status, nowMs)) {
      setCondition(status, newCondition('Progressing', 'False', reasonTimedOut, `ReplicaSet "${name}" has timed out progressing.`, now));
    }
  }
  if (!sameStatus(d.status, status)) {
    await writeStatus(sc.client, deploymentsResource, d, status);
    return;
  }
  requeueStuck(sc, d, status, nowMs);
}

/** A rollout making no progress is looked at again when its progress deadline would pass. */
function requeueStuck(sc: DeploymentSyncContext, d: Deployment, s: DeploymentStatus, nowMs: number): void {
  const cond = getCondition(s, 'Progressing');
  if (!hasProgressDeadline(d) || !cond || cond.reason === reasonNewRSAvailable || cond.reason === reasonTimedOut) return;
  if (deploymentComplete(d, s)) return;
  const from = parseTime(cond.lastUpdateTime);
  if (from === undefined) return;
  const after = from + (d.spec?.progressDeadlineSeconds ?? 600) * 1000 - nowMs;
  sc.requeueAfter(d, Math.max(after, 0) + 1000);
}

/** Progressing=Unknown with DeploymentPaused / DeploymentResumed when spec.paused flips. */
export async function checkPausedConditions(sc: DeploymentSyncContext, d: Deployment): Promise<Deployment> {
  if (!hasProgressDeadline(d)) return d;
  const cond = getCondition(d.status, 'Progressing');
  const pausedCondExists = cond?.reason === reasonPaused;
  const status = structuredClone(d.status ?? {});
  const now = timestamp(sc.clock);
  if (d.spec?.paused && !pausedCondExists) {
    setCondition(status, newCondition('Progressing', 'Unknown', reasonPaused, 'Deployment is paused', now));
  } else if (!d.spec?.paused && pausedCondExists) {
    setCondition(status, newCondition('Progressing', 'Unknown', reasonResumed, 'Deployment is resumed', now));
  } else {
    return d;
  }
  return writeStatus(sc.client, deploymentsResource, d, status);
}
