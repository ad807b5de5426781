// The Deployment controller (upstream's pkg/controller/deployment): owns ReplicaSets by selector, one per
// pod template (named by its pod-template-hash), and moves pods from old to new by the strategy while
// keeping status, revisions and history. Paused deployments only scale; deleting ones only report.
import type { Deployment, Pod, ReplicaSet } from '../../../api/index.js';
import { labelSelectorFromSpec } from '../../../api/index.js';
import { type Informer } from '../../../client/index.js';
import { claimObjects, ownerStillCurrent } from '../claim.js';
import type { ControllerContext } from '../controller-context.js';
import { byNamespace, ensureNamespaceIndex } from '../index-funcs.js';
import { controllerOf } from '../owner-refs.js';
import { QueueController } from '../queue-controller.js';
import { deploymentsResource, podsResource, replicaSetsResource } from '../resources.js';
import { checkPausedConditions, syncDeploymentStatus } from './deployment-status.js';
import { replicasOf, desiredReplicasAnnotation } from './deployment-util.js';
import { rolloutRecreate } from './recreate.js';
import { cleanupOldReplicaSets, replicaSetsAndSyncRevision } from './replica-sets.js';
import { rolloutRolling } from './rolling.js';
import { scaleDeployment } from './scale.js';
import type { DeploymentSyncContext } from './sync-context.js';

export class DeploymentController extends QueueController {
  private readonly deployments: Informer<Deployment>;
  private readonly replicaSets: Informer<ReplicaSet>;
  private readonly pods: Informer<Pod>;
  private readonly sc: DeploymentSyncContext;

  constructor(ctx: ControllerContext) {
    super('deployment', ctx);
    this.deployments = ctx.informers.forResource<Deployment>(deploymentsResource);
    this.replicaSets = ctx.informers.forResource<ReplicaSet>(replicaSetsResource);
    this.pods = ctx.informers.forResource<Pod>(podsResource);
    for (const i of [this.deployments, this.replicaSets, this.pods] as Informer[]) ensureNamespaceIndex(i);
    this.sc = { client: ctx.client, clock: ctx.clock, log: this.log, recorder: ctx.recorder, requeueAfter: (d, ms) => this.enqueueAfter(d, ms) };
    this.deployments.addEventHandler({
      onAdd: (d) => this.enqueue(d),
      onUpdate: (_o, d) => this.enqueue(d),
      onDelete: (d) => this.enqueue(d),
    });
    this.replicaSets.addEventHandler({
      onAdd: (rs) => this.onReplicaSet(rs),
      onUpdate: (old, rs) => {
        if (controllerOf(old)?.uid !== controllerOf(rs)?.uid) this.onReplicaSet(old);
        this.onReplicaSet(rs);
      },
      onDelete: (rs) => this.onReplicaSet(rs),
    });
    // Recreate waits for old pods to be gone; their deletion is what lets it continue.
    this.pods.addEventHandler({ onDelete: (pod) => this.onPodDeleted(pod) });
  }

  private ownerOf(rs: ReplicaSet): Deployment | undefined {
    const ref = controllerOf(rs);
    if (!ref || ref.kind !== 'Deployment') return undefined;
    const d = this.deployments.get(`${rs.metadata.namespace}/${ref.name}`);
    return d && d.metadata.uid === ref.uid ? d : undefined;
  }

  private onReplicaSet(rs: ReplicaSet): void {
    if (controllerOf(rs)) {
      const d = this.ownerOf(rs);
      if (d) this.enqueue(d);
      return;
    }
    // An orphan: any deployment that would adopt it.
    for (const d of this.deployments.byIndex(byNamespace, rs.metadata.namespace ?? '')) {
      if (labelSelectorFromSpec(d.spec?.selector).matches(rs.metadata.labels)) this.enqueue(d);
    }
  }

  private onPodDeleted(pod: Pod): void {
    const ref = controllerOf(pod);
    if (!ref || ref.kind !== 'ReplicaSet') return;
    const rs = this.replicaSets.get(`${pod.metadata.namespace}/${ref.name}`);
    const d = rs ? this.ownerOf(rs) : undefined;
    if (d && d.spec?.strategy?.type === 'Recreate') this.enqueue(d);
  }

  async reconcile(key: string): Promise<void> {
    const cached = this.deployments.get(key);
    if (!cached) return;
    // Work on a copy: the sync writes and passes objects around; the cache must stay untouched.
    let d = structuredClone(cached);
    const selector = labelSelectorFromSpec(d.spec?.selector);
    if (selector.isEmpty()) {
      this.log.warn({ deployment: key }, 'deployment with an empty selector selects everything; not syncing');
      return;
    }
    const rsList = await claimObjects<ReplicaSet>({
      owner: d,
      ownerApiVersion: 'apps/v1',
      ownerKind: 'Deployment',
      selector,
      candidates: this.replicaSets.byIndex(byNamespace, d.metadata.namespace ?? '').map((rs) => structuredClone(rs)),
      resource: replicaSetsResource,
      client: this.ctx.client,
      canAdopt: ownerStillCurrent(this.ctx.client, deploymentsResource, d),
    });
    if (d.metadata.deletionTimestamp) {
      const { newRS, oldRSs } = await replicaSetsAndSyncRevision(this.sc, d, rsList, false);
      await syncDeploymentStatus(this.sc, d, newRS ? [...oldRSs, newRS] : oldRSs, newRS);
      return;
    }
    d = await checkPausedConditions(this.sc, d);
    if (d.spec?.paused || this.isScalingEvent(d, rsList)) {
      await this.sync(d, rsList);
      return;
    }
    if (d.spec?.strategy?.type === 'Recreate') {
      await rolloutRecreate(this.sc, d, rsList, this.podsByReplicaSet(d, rsList));
      return;
    }
    await rolloutRolling(this.sc, d, rsList);
  }

  /** Scaling, or any sync of a paused deployment: sizes only, no new template rolled out. */
  private async sync(d0: Deployment, rsList: ReplicaSet[]): Promise<void> {
    const { d, newRS, oldRSs } = await replicaSetsAndSyncRevision(this.sc, d0, rsList, false);
    const all = await scaleDeployment(this.sc, d, newRS, oldRSs);
    const scaledNew = newRS ? all.find((rs) => rs.metadata.uid === newRS.metadata.uid) : undefined;
    const scaledOld = all.filter((rs) => rs !== scaledNew);
    if (d.spec?.paused) await cleanupOldReplicaSets(this.sc, d, scaledOld);
    await syncDeploymentStatus(this.sc, d, all, scaledNew);
  }

  /** A size change not yet passed to the active ReplicaSets (upstream's isScalingEvent, by their desired-replicas annotation). */
  private isScalingEvent(d: Deployment, rsList: ReplicaSet[]): boolean {
    for (const rs of rsList) {
      if ((rs.spec?.replicas ?? 0) <= 0) continue;
      const desired = rs.metadata.annotations?.[desiredReplicasAnnotation];
      if (desired !== undefined && Number(desired) !== replicasOf(d)) return true;
    }
    return false;
  }

  private podsByReplicaSet(d: Deployment, rsList: ReplicaSet[]): Map<string, Pod[]> {
    const uids = new Set(rsList.map((rs) => rs.metadata.uid ?? ''));
    const out = new Map<string, Pod[]>();
    for (const pod of this.pods.byIndex(byNamespace, d.metadata.namespace ?? '')) {
      const uid = controllerOf(pod)?.uid;
      if (!uid || !uids.has(uid)) continue;
      out.set(uid, [...(out.get(uid) ?? []), pod]);
    }
    return out;
  }
}


