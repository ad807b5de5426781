// The ReplicaSet writes of a deployment sync (upstream's sync.go): finding or creating the new ReplicaSet
// with the next revision, scaling one with its size annotations, and pruning old history.
import { AlreadyExistsError, NotFoundError } from '../../../api/errors.js';
import type { Deployment, DeploymentStatus, ReplicaSet } from '../../../api/index.js';
import { controllerRef, isControlledBy } from '../owner-refs.js';
import { deploymentsResource, replicaSetsResource } from '../resources.js';
import { writeStatus } from '../status-writer.js';
import { timestamp } from '../time.js';
import {
  desiredReplicasAnnotation,
  findNewReplicaSet,
  getCondition,
  hasProgressDeadline,
  maxReplicasAnnotation,
  maxRevision,
  maxSurge,
  newCondition,
  reasonFoundNewRS,
  reasonNewRSCreated,
  replicaSetAnnotations,
  replicasOf,
  revisionAnnotation,
  revisionOf,
  setCondition,
} from './deployment-util.js';
import { computeHash, equalIgnoreHash, podTemplateHashLabel } from './pod-template-hash.js';
import { deploymentComponent, type DeploymentSyncContext, type ReplicaSetSplit } from './sync-context.js';

/** How many replicas a new ReplicaSet may have now (upstream's NewRSNewReplicas). */
export function newRSNewReplicas(d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet): number {
  const replicas = replicasOf(d);
  const current = newRS.spec?.replicas ?? 0;
  if ((d.spec?.strategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return replicas;
  const maxTotal = replicas + maxSurge(d);
  // Upstream counts spec.replicas only; a ReplicaSet just scaled down still has the pods it is about to
  // delete, so counting whichever is larger keeps the real pod count within replicas + maxSurge too.
  const total = allRSs.reduce((n, rs) => n + Math.max(rs.spec?.replicas ?? 0, rs.status?.replicas ?? 0), 0);
  if (total >= maxTotal) return current;
  return current + Math.min(maxTotal - total, Math.max(0, replicas - current));
}

/**
 * Splits the deployment's ReplicaSets into new and old, syncing the new one's revision (a rolled-back
 * template's old ReplicaSet is reused and gets the next revision) and the deployment's revision annotation.
 * With `create`, a missing new ReplicaSet is created.
 */
export async function replicaSetsAndSyncRevision(sc: DeploymentSyncContext, d: Deployment, rsList: ReplicaSet[], create: boolean): Promise<ReplicaSetSplit & { d: Deployment }> {
  const existing = findNewReplicaSet(d, rsList);
  const oldRSs = rsList.filter((rs) => rs !== existing);
  const revision = maxRevision(oldRSs) + 1;
  if (existing) {
    const newRS = await syncExistingNewRS(sc, d, existing, revision);
    return { d: await syncDeploymentRevision(sc, d, newRS, false), newRS, oldRSs };
  }
  if (!create) return { d, newRS: undefined, oldRSs };
  const newRS = await createNewRS(sc, d, oldRSs, revision);
  return { d: await syncDeploymentRevision(sc, d, newRS, true), newRS, oldRSs };
}

async function syncExistingNewRS(sc: DeploymentSyncContext, d: Deployment, rs: ReplicaSet, revision: number): Promise<ReplicaSet> {
  const annotations = replicaSetAnnotations(d, rs.metadata.annotations, revision);
  // Sizes are the scaler's business; here only the revision, copied annotations and minReadySeconds.
  annotations[desiredReplicasAnnotation] = rs.metadata.annotations?.[desiredReplicasAnnotation] ?? annotations[desiredReplicasAnnotation] ?? '';
  annotations[maxReplicasAnnotation] = rs.metadata.annotations?.[maxReplicasAnnotation] ?? annotations[maxReplicasAnnotation] ?? '';
  const minReady = d.spec?.minReadySeconds ?? 0;
  const same = JSON.stringify(annotations) === JSON.stringify(rs.metadata.annotations ?? {}) && (rs.spec?.minReadySeconds ?? 0) === minReady;
  if (same) return rs;
  sc.log.info({ replicaSet: `${rs.metadata.namespace}/${rs.metadata.name}`, revision: annotations[revisionAnnotation] }, 'updating new replica set revision');
  return sc.client.patch<ReplicaSet>(
    replicaSetsResource,
    rs.metadata.name ?? '',
    { metadata: { annotations }, spec: { minReadySeconds: minReady } },
    { namespace: rs.metadata.namespace },
  );
}

async function createNewRS(sc: DeploymentSyncContext, d: Deployment, oldRSs: ReplicaSet[], revision: number): Promise<ReplicaSet> {
  const namespace = d.metadata.namespace ?? '';
  const template = structuredClone(d.spec?.template ?? {});
  const hash = computeHash(template, d.status?.collisionCount);
  template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [podTemplateHashLabel]: hash } };
  const selector = structuredClone(d.spec?.selector ?? {});
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [podTemplateHashLabel]: hash };
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name ?? ''}-${hash}`,
      namespace,
      labels: { ...(template.metadata.labels ?? {}) },
      ownerReferences: [controllerRef(d, 'apps/v1', 'Deployment')],
    },
    spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
  };
  if (rs.spec) rs.spec.replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
  rs.metadata.annotations = replicaSetAnnotations(d, undefined, revision);
  try {
    const created = await sc.client.create(replicaSetsResource, rs, { namespace });
    sc.log.info({ deployment: `${namespace}/${d.metadata.name}`, replicaSet: created.metadata.name, replicas: rs.spec?.replicas }, 'created new replica set');
    sc.recorder.event(deploymentComponent, d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name ?? ''} from 0 to ${rs.spec?.replicas ?? 0}`);
    return created;
  } catch (err) {
    if (!(err instanceof AlreadyExistsError)) throw err;
    // Same name: ours with the same template is a create we did not observe yet; anything else is a
    // hash collision, resolved by bumping collisionCount so the next sync hashes differently.
    const other = await sc.client.get<ReplicaSet>(replicaSetsResource, rs.metadata.name ?? '', { namespace });
    if (isControlledBy(other, d, 'Deployment') && equalIgnoreHash(other.spec?.template, d.spec?.template)) return other;
    const status: DeploymentStatus = { ...(d.status ?? {}), collisionCount: (d.status?.collisionCount ?? 0) + 1 };
    await writeStatus(sc.client, deploymentsResource, d, status);
    throw new Error(`replica set name ${rs.metadata.name} collides with an existing one; collisionCount raised`);
  }
}

/** Copies the new ReplicaSet's revision to the deployment and records how the new ReplicaSet was found. */
async function syncDeploymentRevision(sc: DeploymentSyncContext, d: Deployment, newRS: ReplicaSet, created: boolean): Promise<Deployment> {
  let out = d;
  const revision = String(revisionOf(newRS));
  if (d.metadata.annotations?.[revisionAnnotation] !== revision) {
    out = await sc.client.patch<Deployment>(deploymentsResource, d.metadata.name ?? '', { metadata: { annotations: { [revisionAnnotation]: revision } } }, { namespace: d.metadata.namespace });
  }
  if (!hasProgressDeadline(d)) return out;
  const status = structuredClone(out.status ?? {});
  const now = timestamp(sc.clock);
  const name = newRS.metadata.name ?? '';
  if (created) {
    setCondition(status, newCondition('Progressing', 'True', reasonNewRSCreated, `Created new replica set "${name}"`, now));
  } else if (!getCondition(status, 'Progressing')) {
    setCondition(status, newCondition('Progressing', 'True', reasonFoundNewRS, `Found new replica set "${name}"`, now));
  } else {
    return out;
  }
  return writeStatus(sc.client, deploymentsResource, out, status);
}

/** Scales `rs` to `replicas`, keeping its desired/max size annotations in step with the deployment. */
export async function scaleReplicaSet(sc: DeploymentSyncContext, rs: ReplicaSet, replicas: number, d: Deployment): Promise<ReplicaSet> {
  const annotations = {
    [desiredReplicasAnnotation]: String(replicasOf(d)),
    [maxReplicasAnnotation]: String(replicasOf(d) + maxSurge(d)),
  };
  const sizeSame = (rs.spec?.replicas ?? 0) === replicas;
  const annotationsSame = Object.entries(annotations).every(([k, v]) => rs.metadata.annotations?.[k] === v);
  if (sizeSame && annotationsSame) return rs;
  const from = rs.spec?.replicas ?? 0;
  sc.log.info({ replicaSet: `${rs.metadata.namespace}/${rs.metadata.name}`, from, to: replicas }, 'scaling replica set');
  // Pinned to the cached resourceVersion: a size decided from a stale view (our previous scale not yet
  // in the cache) must fail with 409 rather than scale down twice and break the availability floor.
  const scaled = await sc.client.patch<ReplicaSet>(
    replicaSetsResource,
    rs.metadata.name ?? '',
    { metadata: { annotations, resourceVersion: rs.metadata.resourceVersion }, spec: { replicas } },
    { namespace: rs.metadata.namespace },
  );
  if (!sizeSame) {
    sc.recorder.event(deploymentComponent, d, 'Normal', 'ScalingReplicaSet', `Scaled ${replicas > from ? 'up' : 'down'} replica set ${rs.metadata.name ?? ''} from ${from} to ${replicas}`);
  }
  return scaled;
}

/** Deletes the oldest empty old ReplicaSets beyond revisionHistoryLimit (upstream's cleanupDeployment). */
export async function cleanupOldReplicaSets(sc: DeploymentSyncContext, d: Deployment, oldRSs: ReplicaSet[]): Promise<void> {
  const limit = d.spec?.revisionHistoryLimit;
  if (limit === undefined) return;
  const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
  let diff = cleanable.length - limit;
  if (diff <= 0) return;
  const byRevision = [...cleanable].sort((a, b) => revisionOf(a) - revisionOf(b));
  for (const rs of byRevision) {
    if (diff <= 0) break;
    const settled = (rs.status?.observedGeneration ?? 0) >= (rs.metadata.generation ?? 0);
    if ((rs.status?.replicas ?? 0) !== 0 || (rs.spec?.replicas ?? 0) !== 0 || !settled) continue;
    sc.log.info({ replicaSet: `${rs.metadata.namespace}/${rs.metadata.name}` }, 'deleting old replica set beyond revisionHistoryLimit');
    try {
      await sc.client.delete(replicaSetsResource, rs.metadata.name ?? '', { namespace: rs.metadata.namespace, preconditions: { uid: rs.metadata.uid } });
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
    diff--;
  }
}
