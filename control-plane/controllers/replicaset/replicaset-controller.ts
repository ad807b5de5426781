// The ReplicaSet controller (upstream's pkg/controller/replicaset): keeps spec.replicas active pods that
// match the selector, creating them from the template and deleting the least useful ones, adopting
// orphans and releasing pods that stopped matching, and reports what it sees in status.
import type { Pod, ReplicaSet } from '../../../api/index.js';
import { labelSelectorFromSpec } from '../../../api/index.js';
import { NotFoundError } from '../../../api/errors.js';
import { keyOf } from '../../../client/index.js';
import type { Informer } from '../../../client/index.js';
import { claimObjects, ownerStillCurrent } from '../claim.js';
import type { ControllerContext } from '../controller-context.js';
import { Expectations } from '../expectations.js';
import { byNamespace, ensureNamespaceIndex } from '../index-funcs.js';
import { controllerOf, controllerRef } from '../owner-refs.js';
import { availableAtMs, isPodActive, isPodReady } from '../pod-util.js';
import { podFromTemplate, slowStartBatch } from '../pod-template.js';
import { QueueController, isNamespaceTerminating } from '../queue-controller.js';
import { podsResource, replicaSetsResource } from '../resources.js';
import { writeStatus } from '../status-writer.js';
import { timestamp } from '../time.js';
import { podsToDelete } from './pod-ranking.js';
import { calculateReplicaSetStatus, sameReplicaSetStatus } from './replicaset-status.js';

/** The Events' source, as upstream's. */
const component = 'replicaset-controller';

/** At most this many pods are created or deleted per sync (upstream's burstReplicas). */
export const burstReplicas = 500;

export class ReplicaSetController extends QueueController {
  readonly expectations: Expectations;
  private readonly replicaSets: Informer<ReplicaSet>;
  private readonly pods: Informer<Pod>;

  constructor(ctx: ControllerContext) {
    super('replicaset', ctx);
    this.expectations = new Expectations(ctx.clock);
    this.replicaSets = ctx.informers.forResource<ReplicaSet>(replicaSetsResource);
    this.pods = ctx.informers.forResource<Pod>(podsResource);
    ensureNamespaceIndex(this.replicaSets);
    ensureNamespaceIndex(this.pods);
    this.replicaSets.addEventHandler({
      onAdd: (rs) => this.enqueue(rs),
      onUpdate: (_old, rs) => this.enqueue(rs),
      onDelete: (rs) => {
        this.expectations.forget(keyOf(rs));
        this.enqueue(rs);
      },
    });
    this.pods.addEventHandler({
      onAdd: (pod) => this.addPod(pod),
      onUpdate: (old, pod) => this.updatePod(old, pod),
      onDelete: (pod) => this.deletePod(pod),
    });
  }

  /** The ReplicaSet that controls `pod`, if it is in the cache with the referenced uid. */
  private ownerOf(pod: Pod): ReplicaSet | undefined {
    const ref = controllerOf(pod);
    if (!ref || ref.kind !== 'ReplicaSet') return undefined;
    const rs = this.replicaSets.get(`${pod.metadata.namespace}/${ref.name}`);
    return rs && rs.metadata.uid === ref.uid ? rs : undefined;
  }

  private matchingReplicaSets(pod: Pod): ReplicaSet[] {
    return this.replicaSets
      .byIndex(byNamespace, pod.metadata.namespace ?? '')
      .filter((rs) => labelSelectorFromSpec(rs.spec?.selector).matches(pod.metadata.labels));
  }

  private addPod(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) {
      // Seen for the first time already terminating (e.g. after a re-list): count it as a deletion.
      this.deletePod(pod);
      return;
    }
    if (controllerOf(pod)) {
      const rs = this.ownerOf(pod);
      if (!rs) return;
      this.expectations.creationObserved(keyOf(rs));
      this.enqueue(rs);
      return;
    }
    for (const rs of this.matchingReplicaSets(pod)) this.enqueue(rs);
  }

  private updatePod(old: Pod, pod: Pod): void {
    if (old.metadata.resourceVersion === pod.metadata.resourceVersion) return;
    const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(pod.metadata.labels ?? {});
    if (pod.metadata.deletionTimestamp) {
      // Graceful deletion: the pod is gone for the ReplicaSet's purposes as soon as it is terminating.
      this.deletePod(pod);
      if (labelsChanged) this.deletePod(old);
      return;
    }
    const oldRef = controllerOf(old);
    const ref = controllerOf(pod);
    const refChanged = oldRef?.uid !== ref?.uid;
    if (refChanged && oldRef) {
      const oldRs = this.ownerOf(old);
      if (oldRs) this.enqueue(oldRs);
    }
    if (ref) {
      const rs = this.ownerOf(pod);
      if (!rs) return;
      this.enqueue(rs);
      const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
      // It becomes available minReadySeconds after turning ready; look again then.
      if (minReadySeconds > 0 && !isPodReady(old) && isPodReady(pod)) this.enqueueAfter(rs, minReadySeconds * 1000 + 1000);
      return;
    }
    if (labelsChanged || refChanged) for (const rs of this.matchingReplicaSets(pod)) this.enqueue(rs);
  }

  private deletePod(pod: Pod): void {
    const rs = this.ownerOf(pod);
    if (!rs) return;
    this.expectations.deletionObserved(keyOf(rs), keyOf(pod));
    this.enqueue(rs);
  }

  async reconcile(key: string): Promise<void> {
    const rs = this.replicaSets.get(key);
    if (!rs) {
      this.expectations.forget(key);
      return;
    }
    const needsSync = this.expectations.satisfied(key);
    const selector = labelSelectorFromSpec(rs.spec?.selector);
    const active = this.pods.byIndex(byNamespace, rs.metadata.namespace ?? '').filter(isPodActive);
    const pods = await claimObjects<Pod>({
      owner: rs,
      ownerApiVersion: 'apps/v1',
      ownerKind: 'ReplicaSet',
      selector,
      candidates: active,
      resource: podsResource,
      client: this.ctx.client,
      canAdopt: ownerStillCurrent(this.ctx.client, replicaSetsResource, rs),
    });
    let failure: unknown;
    if (needsSync && !rs.metadata.deletionTimestamp) {
      try {
        await this.manageReplicas(key, rs, pods);
      } catch (err) {
        failure = err;
      }
    }
    await this.syncStatus(rs, pods, failure);
    if (failure !== undefined) throw failure;
  }

  private async manageReplicas(key: string, rs: ReplicaSet, pods: Pod[]): Promise<void> {
    const wanted = rs.spec?.replicas ?? 1;
    const diff = pods.length - wanted;
    if (diff < 0) await this.createPods(key, rs, Math.min(-diff, burstReplicas));
    else if (diff > 0) await this.deletePods(key, rs, pods, Math.min(diff, burstReplicas));
  }

  private async createPods(key: string, rs: ReplicaSet, count: number): Promise<void> {
    this.expectations.expectCreations(key, count);
    const namespace = rs.metadata.namespace ?? '';
    const owner = controllerRef(rs, 'apps/v1', 'ReplicaSet');
    const pod = podFromTemplate(rs.spec?.template, namespace, `${rs.metadata.name ?? ''}-`, owner);
    const { successes, error } = await slowStartBatch(count, async () => {
      try {
        const created = await this.ctx.client.create(podsResource, pod, { namespace });
        this.ctx.recorder.event(component, rs, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name ?? ''}`);
      } catch (err) {
        this.expectations.lowerCreations(key, 1);
        if (!isNamespaceTerminating(err)) this.ctx.recorder.event(component, rs, 'Warning', 'FailedCreate', `Error creating: ${err instanceof Error ? err.message : String(err)}`);
        throw err;
      }
    });
    const failed = count - successes;
    // Creates never attempted after a failing batch will never be observed either.
    const skipped = error === undefined ? 0 : failed - 1;
    if (skipped > 0) this.expectations.lowerCreations(key, skipped);
    this.log.info({ replicaSet: key, created: successes, wanted: count }, 'created pods');
    if (error !== undefined && !isNamespaceTerminating(error)) throw error;
  }

  private async deletePods(key: string, rs: ReplicaSet, pods: Pod[], count: number): Promise<void> {
    const victims = podsToDelete(pods, pods, count);
    this.expectations.expectDeletions(key, victims.map(keyOf));
    const results = await Promise.allSettled(
      victims.map((p) => this.ctx.client.delete(podsResource, p.metadata.name ?? '', { namespace: p.metadata.namespace, preconditions: { uid: p.metadata.uid } })),
    );
    let firstError: unknown;
    results.forEach((r, i) => {
      const victim = victims[i] as Pod;
      if (r.status === 'fulfilled') {
        this.ctx.recorder.event(component, rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${victim.metadata.name ?? ''}`);
        return;
      }
      // A pod already gone is a deletion we will never observe through our own request.
      this.expectations.deletionObserved(key, keyOf(victim));
      if (!(r.reason instanceof NotFoundError)) firstError ??= r.reason;
    });
    this.log.info({ replicaSet: key, deleted: victims.map((p) => p.metadata.name) }, 'deleted pods');
    if (firstError !== undefined) throw firstError;
  }

  private async syncStatus(rs: ReplicaSet, pods: Pod[], failure: unknown): Promise<void> {
    const nowMs = this.ctx.clock.now();
    const message = failure === undefined ? undefined : failure instanceof Error ? failure.message : String(failure);
    const status = calculateReplicaSetStatus(rs, pods, nowMs, timestamp(this.ctx.clock), message);
    if (!sameReplicaSetStatus(rs.status, status)) {
      try {
        await writeStatus(this.ctx.client, replicaSetsResource, rs, status);
      } catch (err) {
        if (err instanceof NotFoundError) return;
        throw err;
      }
    }
    // Ready pods that are not yet available become so after minReadySeconds: look again at the earliest.
    const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
    if (minReadySeconds <= 0) return;
    const pending = pods.map((p) => availableAtMs(p, minReadySeconds)).filter((t): t is number => t !== undefined && t > nowMs);
    if (pending.length > 0) this.enqueueAfter(rs, Math.min(...pending) - nowMs + 1);
  }
}
