// RollingUpdate (upstream's rolling.go): grow the new ReplicaSet up to replicas + maxSurge pods in all,
// shrink old ones only while at least replicas - maxUnavailable pods stay available, and repeat as the
// ReplicaSets report progress. Each call does one step; every ReplicaSet change triggers the next.
import type { Deployment, ReplicaSet } from '../../../api/index.js';
import { availableReplicas, byCreation, maxUnavailable, replicasOf, specReplicas } from './deployment-util.js';
import { syncRolloutStatus, deploymentComplete, calculateStatus } from './deployment-status.js';
import { cleanupOldReplicaSets, newRSNewReplicas, replicaSetsAndSyncRevision, scaleReplicaSet } from './replica-sets.js';
import type { DeploymentSyncContext } from './sync-context.js';
import { timestamp } from '../time.js';

export async function rolloutRolling(sc: DeploymentSyncContext, d0: Deployment, rsList: ReplicaSet[]): Promise<void> {
  const { d, newRS: created, oldRSs } = await replicaSetsAndSyncRevision(sc, d0, rsList, true);
  let newRS = created as ReplicaSet;
  const allRSs = (): ReplicaSet[] => [...oldRSs, newRS];

  const scaledNew = await reconcileNewReplicaSet(sc, d, allRSs(), newRS);
  if (scaledNew !== newRS) {
    newRS = scaledNew;
    await syncRolloutStatus(sc, d, allRSs(), newRS);
    return;
  }
  const scaledDown = await reconcileOldReplicaSets(sc, d, oldRSs, newRS);
  if (scaledDown) {
    await syncRolloutStatus(sc, d, allRSs(), newRS);
    return;
  }
  if (deploymentComplete(d, calculateStatus(d, allRSs(), newRS, timestamp(sc.clock)))) await cleanupOldReplicaSets(sc, d, oldRSs);
  await syncRolloutStatus(sc, d, allRSs(), newRS);
}

/** Scales the new ReplicaSet toward replicas within the surge budget; answers it (a new object if scaled). */
async function reconcileNewReplicaSet(sc: DeploymentSyncContext, d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet): Promise<ReplicaSet> {
  const replicas = replicasOf(d);
  const current = newRS.spec?.replicas ?? 0;
  if (current === replicas) return newRS;
  if (current > replicas) return scaleReplicaSet(sc, newRS, replicas, d);
  const target = newRSNewReplicas(d, allRSs, newRS);
  return target === current ? newRS : scaleReplicaSet(sc, newRS, target, d);
}

/** Scales old ReplicaSets down as far as availability allows; answers whether it changed any (array updated in place). */
async function reconcileOldReplicaSets(sc: DeploymentSyncContext, d: Deployment, oldRSs: ReplicaSet[], newRS: ReplicaSet): Promise<boolean> {
  if (specReplicas(oldRSs) === 0) return false;
  const all = [...oldRSs, newRS];
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const newRSUnavailable = (newRS.spec?.replicas ?? 0) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = specReplicas(all) - minAvailable - newRSUnavailable;
  if (maxScaledDown <= 0) return false;

  // First the old pods that are not available anyway: removing them costs no availability.
  let cleaned = 0;
  for (const rs of byCreation(oldRSs)) {
    if (cleaned >= maxScaledDown) break;
    const size = rs.spec?.replicas ?? 0;
    const unhealthy = size - Math.min(rs.status?.availableReplicas ?? 0, size);
    if (size === 0 || unhealthy === 0) continue;
    const down = Math.min(maxScaledDown - cleaned, unhealthy);
    replaceIn(oldRSs, rs, await scaleReplicaSet(sc, rs, size - down, d));
    cleaned += down;
  }
  if (cleaned > 0) return true;

  // Then available old pods, oldest ReplicaSet first, only above the availability floor.
  const available = availableReplicas([...oldRSs, newRS]);
  const budget = available - minAvailable;
  if (budget <= 0) return false;
  let scaled = 0;
  for (const rs of byCreation(oldRSs)) {
    if (scaled >= budget) break;
    const size = rs.spec?.replicas ?? 0;
    if (size === 0) continue;
    const down = Math.min(size, budget - scaled);
    replaceIn(oldRSs, rs, await scaleReplicaSet(sc, rs, size - down, d));
    scaled += down;
  }
  return scaled > 0;
}

function replaceIn(list: ReplicaSet[], old: ReplicaSet, next: ReplicaSet): void {
  const i = list.indexOf(old);
  if (i >= 0) list[i] = next;
}
