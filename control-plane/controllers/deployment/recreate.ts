// Recreate (upstream's recreate.go): scale every old ReplicaSet to zero, wait until none of their pods
// runs any more, then create or scale up the new one.
import type { Deployment, Pod, ReplicaSet } from '../../../api/index.js';
import { calculateStatus, deploymentComplete, syncRolloutStatus } from './deployment-status.js';
import { replicasOf } from './deployment-util.js';
import { cleanupOldReplicaSets, replicaSetsAndSyncRevision, scaleReplicaSet } from './replica-sets.js';
import type { DeploymentSyncContext } from './sync-context.js';
import { timestamp } from '../time.js';

export async function rolloutRecreate(sc: DeploymentSyncContext, d0: Deployment, rsList: ReplicaSet[], podsByRS: Map<string, Pod[]>): Promise<void> {
  let { d, newRS, oldRSs } = await replicaSetsAndSyncRevision(sc, d0, rsList, false);
  const active = oldRSs.filter((rs) => (rs.spec?.replicas ?? 0) > 0);
  if (active.length > 0) {
    const scaled = await Promise.all(oldRSs.map((rs) => ((rs.spec?.replicas ?? 0) > 0 ? scaleReplicaSet(sc, rs, 0, d) : rs)));
    await syncRolloutStatus(sc, d, newRS ? [...scaled, newRS] : scaled, newRS);
    return;
  }
  if (oldPodsRunning(newRS, oldRSs, podsByRS)) {
    await syncRolloutStatus(sc, d, newRS ? [...oldRSs, newRS] : oldRSs, newRS);
    return;
  }
  if (!newRS) ({ d, newRS, oldRSs } = await replicaSetsAndSyncRevision(sc, d, rsList, true));
  if (!newRS) return;
  if ((newRS.spec?.replicas ?? 0) !== replicasOf(d)) newRS = await scaleReplicaSet(sc, newRS, replicasOf(d), d);
  const all = [...oldRSs, newRS];
  if (deploymentComplete(d, calculateStatus(d, all, newRS, timestamp(sc.clock)))) await cleanupOldReplicaSets(sc, d, oldRSs);
  await syncRolloutStatus(sc, d, all, newRS);
}

/** Whether any old ReplicaSet still has a pod that is not finished (terminating pods count: still running). */
function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[], podsByRS: Map<string, Pod[]>): boolean {
  if (oldRSs.some((rs) => (rs.status?.replicas ?? 0) > 0)) return true;
  for (const [uid, pods] of podsByRS) {
    if (newRS && uid === newRS.metadata.uid) continue;
    if (pods.some((p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded')) return true;
  }
  return false;
}
