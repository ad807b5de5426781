// Scaling a deployment that is not mid-rollout, or proportionally when it is (upstream's sync.go scale):
// with one active ReplicaSet it simply gets the new size; during a rolling update every active ReplicaSet
// is scaled by the ratio of the new maximum size to the one it was last scaled for, so a rollout caught
// mid-way keeps its old/new mix while the total follows the new size.
import type { Deployment, ReplicaSet } from '../../../api/index.js';
import { byCreation, isRollingUpdate, maxReplicasAnnotation, maxSurge, replicasOf, specReplicas } from './deployment-util.js';
import { scaleReplicaSet } from './replica-sets.js';
import type { DeploymentSyncContext } from './sync-context.js';

export async function scaleDeployment(sc: DeploymentSyncContext, d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<ReplicaSet[]> {
  const all = newRS ? [...oldRSs, newRS] : [...oldRSs];
  const active = all.filter((rs) => (rs.spec?.replicas ?? 0) > 0);
  const replicas = replicasOf(d);
  // Only one (or no) active ReplicaSet: it, or the newest one, takes the whole size.
  if (active.length <= 1) {
    const target = active[0] ?? newRS ?? byCreation(oldRSs).at(-1);
    // Called even at the right size: it also brings the size annotations up to date (a no-op otherwise).
    if (!target) return all;
    const scaled = await scaleReplicaSet(sc, target, replicas, d);
    return all.map((rs) => (rs === target ? scaled : rs));
  }
  // The new ReplicaSet is saturated: the old ones go to zero.
  if (newRS && (newRS.spec?.replicas ?? 0) === replicas && (newRS.status?.availableReplicas ?? 0) === replicas) {
    return Promise.all(all.map((rs) => (rs !== newRS && (rs.spec?.replicas ?? 0) > 0 ? scaleReplicaSet(sc, rs, 0, d) : rs)));
  }
  if (!isRollingUpdate(d)) return all;
  const allowed = replicas > 0 ? replicas + maxSurge(d) : 0;
  const toAdd = allowed - specReplicas(active);
  const sizes = proportionalSizes(d, active, toAdd);
  // Every active ReplicaSet goes through scaleReplicaSet, even unchanged in size, so its desired-replicas
  // annotation records this scale and the next sync is a rollout step, not another scaling event.
  return Promise.all(all.map((rs) => {
    const size = sizes.get(rs);
    return size === undefined ? rs : scaleReplicaSet(sc, rs, size, d);
  }));
}

/**
 * New sizes after adding (or removing, when negative) `toAdd` replicas across `active` (upstream's
 * GetProportion): each ReplicaSet scales by the ratio of the deployment's new maximum size to the one
 * recorded in its max-replicas annotation, bounded by what is left to add; rounding leftovers go to the
 * first (largest) ReplicaSet, never below zero.
 */
export function proportionalSizes(d: Deployment, active: ReplicaSet[], toAdd: number): Map<ReplicaSet, number> {
  // Larger first; on ties the newer one (adding) or the older one (removing) first, as upstream sorts.
  const ordered = [...active].sort((a, b) => {
    const diff = (b.spec?.replicas ?? 0) - (a.spec?.replicas ?? 0);
    if (diff !== 0) return diff;
    const newer = byCreation([a, b])[1] === a ? -1 : 1;
    return toAdd > 0 ? newer : -newer;
  });
  const sizes = new Map<ReplicaSet, number>();
  let added = 0;
  for (const rs of ordered) {
    const size = rs.spec?.replicas ?? 0;
    let share = 0;
    if (toAdd !== 0) {
      const fraction = replicaSetFraction(d, rs);
      share = toAdd > 0 ? Math.min(fraction, toAdd - added) : Math.max(fraction, toAdd - added);
    }
    sizes.set(rs, size + share);
    added += share;
  }
  const first = ordered[0];
  if (first && toAdd !== 0 && added !== toAdd) sizes.set(first, Math.max(0, (sizes.get(first) ?? 0) + toAdd - added));
  return sizes;
}

/** How many replicas `rs` should gain (negative: lose) for the deployment's new size (upstream's getReplicaSetFraction). */
function replicaSetFraction(d: Deployment, rs: ReplicaSet): number {
  const size = rs.spec?.replicas ?? 0;
  if (replicasOf(d) === 0) return -size;
  const newMax = replicasOf(d) + maxSurge(d);
  const annotated = Number(rs.metadata.annotations?.[maxReplicasAnnotation] ?? NaN);
  const oldMax = Number.isFinite(annotated) && annotated > 0 ? annotated : (d.status?.replicas ?? 0);
  if (oldMax <= 0) return 0;
  return Math.round((size * newMax) / oldMax) - size;
}
