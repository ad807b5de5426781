// The namespace controller (upstream's pkg/controller/namespace): a namespace being deleted is emptied —
// every namespaced resource's objects in it are deleted — and once nothing is left, the `kubernetes`
// finalizer is removed through the `finalize` subresource, which lets the API server remove the namespace.
// Objects that linger (pods in their grace period, objects with finalizers) make it look again later.
import { NotFoundError } from '../../api/errors.js';
import type { Namespace } from '../../api/index.js';
import type { KubeObject } from '../../api/object.js';
import { builtinResources, type ResourceInfo } from '../../api/resources.js';
import { resourcePath, type Informer } from '../../client/index.js';
import type { ControllerContext } from './controller-context.js';
import { QueueController } from './queue-controller.js';
import { namespacesResource } from './resources.js';
import { timestamp } from './time.js';

export const kubernetesFinalizer = 'kubernetes';

/** How soon a namespace with content still terminating is looked at again, in ms. */
const remainingRecheckMs = 1000;

/** Namespaced resources to empty; events.k8s.io Events share core Events' storage, so they go once. */
export function namespacedResources(): ResourceInfo[] {
  return builtinResources.filter((r) => r.namespaced && !(r.group === 'events.k8s.io'));
}

export class NamespaceController extends QueueController {
  private readonly namespaces: Informer<Namespace>;

  constructor(ctx: ControllerContext) {
    super('namespace', ctx);
    this.namespaces = ctx.informers.forResource<Namespace>(namespacesResource);
    const consider = (n: Namespace): void => {
      if (n.metadata.deletionTimestamp) this.enqueue(n);
    };
    this.namespaces.addEventHandler({ onAdd: consider, onUpdate: (_o, n) => consider(n) });
  }

  async reconcile(name: string): Promise<void> {
    const ns = this.namespaces.get(name);
    if (!ns?.metadata.deletionTimestamp) return;
    if (!(ns.spec?.finalizers ?? []).includes(kubernetesFinalizer)) return;
    let remaining = 0;
    const counts: Record<string, number> = {};
    for (const r of namespacedResources()) {
      const left = await this.emptyResource(r, name);
      if (left > 0) counts[r.plural] = left;
      remaining += left;
    }
    if (remaining > 0) {
      this.log.info({ namespace: name, remaining: counts }, 'namespace content still terminating');
      await this.setContentCondition(ns, counts);
      this.queue.addAfter(name, remainingRecheckMs);
      return;
    }
    await this.finalize(name);
  }

  /** Deletes every object of `r` in the namespace; answers how many are still there afterwards. */
  private async emptyResource(r: ResourceInfo, namespace: string): Promise<number> {
    const list = await this.ctx.client.list<KubeObject>(r, { namespace });
    if (list.items.length === 0) return 0;
    const live = list.items.filter((o) => !o.metadata.deletionTimestamp);
    if (live.length > 0) {
      if (r.verbs.includes('deletecollection')) {
        await this.ctx.client.deleteCollection(r, { namespace });
      } else {
        for (const o of live) {
          try {
            await this.ctx.client.delete(r, o.metadata.name ?? '', { namespace });
          } catch (err) {
            if (!(err instanceof NotFoundError)) throw err;
          }
        }
      }
    }
    return (await this.ctx.client.list<KubeObject>(r, { namespace })).items.length;
  }

  /** Upstream's NamespaceContentRemaining condition, so `kubectl describe ns` says what it waits for. */
  private async setContentCondition(ns: Namespace, counts: Record<string, number>): Promise<void> {
    const message = `Some resources are remaining: ${Object.entries(counts)
      .map(([k, v]) => `${k} has ${v} resource instances`)
      .join(', ')}`;
    const existing = ns.status?.conditions?.find((c) => c.type === 'NamespaceContentRemaining');
    if (existing?.status === 'True' && existing.message === message) return;
    const conditions = [
      ...(ns.status?.conditions ?? []).filter((c) => c.type !== 'NamespaceContentRemaining'),
      { type: 'NamespaceContentRemaining', status: 'True' as const, lastTransitionTime: timestamp(this.ctx.clock), reason: 'SomeResourcesRemain', message },
    ];
    try {
      await this.ctx.client.updateStatus(namespacesResource, { ...ns, status: { ...(ns.status ?? {}), conditions } });
    } catch (err) {
      // Only informational; the next pass writes it again.
      this.log.debug({ err, namespace: ns.metadata.name }, 'namespace condition not written');
    }
  }

  private async finalize(name: string): Promise<void> {
    let fresh: Namespace;
    try {
      fresh = await this.ctx.client.get<Namespace>(namespacesResource, name);
    } catch (err) {
      if (err instanceof NotFoundError) return;
      throw err;
    }
    const finalizers = (fresh.spec?.finalizers ?? []).filter((f) => f !== kubernetesFinalizer);
    const body: Namespace = { ...fresh, spec: { ...(fresh.spec ?? {}), finalizers } };
    try {
      await this.ctx.client.request('PUT', resourcePath(namespacesResource, { name, subresource: 'finalize' }), body);
      this.log.info({ namespace: name }, 'namespace emptied and finalized');
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  }
}
