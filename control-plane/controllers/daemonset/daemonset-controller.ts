// The DaemonSet controller (upstream's pkg/controller/daemon): one pod per eligible node, pinned by node
// affinity; pods on nodes that no longer qualify, extra pods and failed pods are deleted; a changed
// template rolls out node by node within maxUnavailable (RollingUpdate) or waits for manual deletion
// (OnDelete). Pods carry `controller-revision-hash` with the template's hash. ControllerRevision history
// (kubectl rollout undo for DaemonSets) is not kept.
import { NotFoundError } from '../../../api/errors.js';
import type { DaemonSet, DaemonSetStatus, Node, Pod } from '../../../api/index.js';
import { labelSelectorFromSpec, scaledValueFromIntOrPercent } from '../../../api/index.js';
import { keyOf, type Informer } from '../../../client/index.js';
import { canonicalJson } from '../canonical-json.js';
import { claimObjects, ownerStillCurrent } from '../claim.js';
import type { ControllerContext } from '../controller-context.js';
import { computeHash } from '../deployment/pod-template-hash.js';
import { Expectations } from '../expectations.js';
import { byNamespace, ensureNamespaceIndex } from '../index-funcs.js';
import { controllerOf, controllerRef } from '../owner-refs.js';
import { isPodAvailable, isPodReady } from '../pod-util.js';
import { podFromTemplate } from '../pod-template.js';
import { QueueController } from '../queue-controller.js';
import { daemonSetsResource, nodesResource, podsResource } from '../resources.js';
import { writeStatus } from '../status-writer.js';
import { nodeShouldRunDaemonPod, targetNodeName, templateForNode } from './daemon-pods.js';

export const revisionHashLabel = 'controller-revision-hash';
/** The Events' source, as upstream's. */
const component = 'daemonset-controller';

export class DaemonSetController extends QueueController {
  private readonly daemonSets: Informer<DaemonSet>;
  private readonly nodes: Informer<Node>;
  private readonly pods: Informer<Pod>;
  private readonly expectations: Expectations;

  constructor(ctx: ControllerContext) {
    super('daemonset', ctx);
    this.expectations = new Expectations(ctx.clock);
    this.daemonSets = ctx.informers.forResource<DaemonSet>(daemonSetsResource);
    this.nodes = ctx.informers.forResource<Node>(nodesResource);
    this.pods = ctx.informers.forResource<Pod>(podsResource);
    ensureNamespaceIndex(this.daemonSets);
    ensureNamespaceIndex(this.pods);
    this.daemonSets.addEventHandler({
      onAdd: (d) => this.enqueue(d),
      onUpdate: (_o, d) => this.enqueue(d),
      onDelete: (d) => this.expectations.forget(keyOf(d)),
    });
    const all = (): void => {
      for (const d of this.daemonSets.list()) this.enqueue(d);
    };
    this.nodes.addEventHandler({
      onAdd: all,
      onUpdate: (old, n) => {
        const relevant = (x: Node): string => canonicalJson([x.metadata.labels, x.spec?.taints]);
        if (relevant(old) !== relevant(n)) all();
      },
      onDelete: all,
    });
    this.pods.addEventHandler({
      onAdd: (p) => this.podChanged(p, p.metadata.deletionTimestamp ? 'delete' : 'add'),
      onUpdate: (old, p) => {
        if (old.metadata.resourceVersion !== p.metadata.resourceVersion) this.podChanged(p, p.metadata.deletionTimestamp ? 'delete' : 'update');
      },
      onDelete: (p) => this.podChanged(p, 'delete'),
    });
  }

  private podChanged(pod: Pod, what: 'add' | 'update' | 'delete'): void {
    const ref = controllerOf(pod);
    if (!ref || ref.kind !== 'DaemonSet') return;
    const ds = this.daemonSets.get(`${pod.metadata.namespace}/${ref.name}`);
    if (!ds || ds.metadata.uid !== ref.uid) return;
    if (what === 'add') this.expectations.creationObserved(keyOf(ds));
    if (what === 'delete') this.expectations.deletionObserved(keyOf(ds), keyOf(pod));
    this.enqueue(ds);
  }

  async reconcile(key: string): Promise<void> {
    const cached = this.daemonSets.get(key);
    if (!cached) {
      this.expectations.forget(key);
      return;
    }
    const ds = structuredClone(cached);
    const hash = computeHash(ds.spec?.template ?? {});
    const pods = (
      await claimObjects<Pod>({
        owner: ds,
        ownerApiVersion: 'apps/v1',
        ownerKind: 'DaemonSet',
        selector: labelSelectorFromSpec(ds.spec?.selector),
        candidates: this.pods.byIndex(byNamespace, ds.metadata.namespace ?? ''),
        resource: podsResource,
        client: this.ctx.client,
        canAdopt: ownerStillCurrent(this.ctx.client, daemonSetsResource, ds),
      })
    ).filter((p) => !p.metadata.deletionTimestamp);
    const byNode = new Map<string, Pod[]>();
    for (const p of pods) {
      const node = targetNodeName(p) ?? '';
      byNode.set(node, [...(byNode.get(node) ?? []), p]);
    }
    const nodes = this.nodes.list();
    if (this.expectations.satisfied(key) && !ds.metadata.deletionTimestamp) await this.manage(key, ds, nodes, byNode, hash);
    await this.syncStatus(ds, nodes, byNode, hash);
  }

  private async manage(key: string, ds: DaemonSet, nodes: Node[], byNode: Map<string, Pod[]>, hash: string): Promise<void> {
    const create: string[] = [];
    const remove: Pod[] = [];
    const eligible = new Set<string>();
    for (const node of nodes) {
      const name = node.metadata.name ?? '';
      const here = byNode.get(name) ?? [];
      if (!nodeShouldRunDaemonPod(ds, node)) {
        remove.push(...here);
        continue;
      }
      eligible.add(name);
      const failed = here.filter((p) => p.status?.phase === 'Failed');
      remove.push(...failed);
      const alive = here.filter((p) => p.status?.phase !== 'Failed');
      if (alive.length === 0) create.push(name);
      // Keep the oldest; extras go.
      remove.push(...[...alive].sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '')).slice(1));
    }
    for (const [node, here] of byNode) if (!eligible.has(node) && !nodes.some((n) => n.metadata.name === node)) remove.push(...here);
    if (create.length === 0 && remove.length === 0 && (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
      remove.push(...this.rollingUpdateVictims(ds, eligible, byNode, hash));
    }
    this.expectations.expectCreations(key, create.length);
    this.expectations.expectDeletions(key, remove.map(keyOf));
    const namespace = ds.metadata.namespace ?? '';
    let firstError: unknown;
    for (const node of create) {
      const pod = podFromTemplate(templateForNode(ds.spec?.template ?? {}, node), namespace, `${ds.metadata.name ?? ''}-`, controllerRef(ds, 'apps/v1', 'DaemonSet'));
      pod.metadata.labels = { ...pod.metadata.labels, [revisionHashLabel]: hash };
      try {
        const created = await this.ctx.client.create(podsResource, pod, { namespace });
        this.ctx.recorder.event(component, ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name ?? ''}`);
      } catch (err) {
        this.expectations.lowerCreations(key, 1);
        firstError ??= err;
      }
    }
    for (const p of remove) {
      try {
        await this.ctx.client.delete(podsResource, p.metadata.name ?? '', { namespace, preconditions: { uid: p.metadata.uid } });
        this.ctx.recorder.event(component, ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name ?? ''}`);
      } catch (err) {
        this.expectations.deletionObserved(key, keyOf(p));
        if (!(err instanceof NotFoundError)) firstError ??= err;
      }
    }
    if (create.length + remove.length > 0) this.log.info({ daemonSet: key, created: create, deleted: remove.map((p) => p.metadata.name) }, 'synced daemon pods');
    if (firstError !== undefined) throw firstError;
  }

  /** Old pods to delete now: unavailable ones freely, available ones only within maxUnavailable. */
  private rollingUpdateVictims(ds: DaemonSet, eligible: Set<string>, byNode: Map<string, Pod[]>, hash: string): Pod[] {
    const nowMs = this.ctx.clock.now();
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const maxUnavailable = Math.max(1, scaledValueFromIntOrPercent(ds.spec?.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1, eligible.size, true));
    let unavailable = 0;
    const oldAvailable: Pod[] = [];
    const victims: Pod[] = [];
    for (const node of eligible) {
      const pod = byNode.get(node)?.[0];
      if (!pod || !isPodAvailable(pod, minReady, nowMs)) unavailable++;
      if (!pod || pod.metadata.labels?.[revisionHashLabel] === hash) continue;
      if (isPodAvailable(pod, minReady, nowMs)) oldAvailable.push(pod);
      else victims.push(pod);
    }
    const budget = Math.max(0, maxUnavailable - unavailable);
    return [...victims, ...oldAvailable.slice(0, budget)];
  }

  private async syncStatus(ds: DaemonSet, nodes: Node[], byNode: Map<string, Pod[]>, hash: string): Promise<void> {
    const nowMs = this.ctx.clock.now();
    const minReady = ds.spec?.minReadySeconds ?? 0;
    let desired = 0;
    let current = 0;
    let misscheduled = 0;
    let ready = 0;
    let available = 0;
    let updated = 0;
    for (const node of nodes) {
      const pod = byNode.get(node.metadata.name ?? '')?.[0];
      if (!nodeShouldRunDaemonPod(ds, node)) {
        if (pod) misscheduled++;
        continue;
      }
      desired++;
      if (!pod) continue;
      current++;
      if (isPodReady(pod)) ready++;
      if (isPodAvailable(pod, minReady, nowMs)) available++;
      if (pod.metadata.labels?.[revisionHashLabel] === hash) updated++;
    }
    const status: DaemonSetStatus = {
      ...(ds.status?.conditions ? { conditions: ds.status.conditions } : {}),
      currentNumberScheduled: current,
      numberMisscheduled: misscheduled,
      desiredNumberScheduled: desired,
      numberReady: ready,
      observedGeneration: ds.metadata.generation ?? 0,
      updatedNumberScheduled: updated,
      numberAvailable: available,
      numberUnavailable: desired - available,
    };
    if (canonicalJson(ds.status ?? {}) === canonicalJson(status)) return;
    try {
      await writeStatus(this.ctx.client, daemonSetsResource, ds, status);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  }
}
