// The garbage collector (upstream's pkg/controller/garbagecollector), level-triggered over the shared
// informers instead of upstream's separate graph: an object whose owners are all gone is deleted; an
// owner deleted with the `orphan` finalizer has its dependents' references removed first; one deleted
// with `foregroundDeletion` has its dependents deleted first, and loses the finalizer once no dependent
// with blockOwnerDeletion is left. Events are not watched: they carry no owner references.
import { ConflictError, NotFoundError } from '../../../api/errors.js';
import type { KubeObject, OwnerReference } from '../../../api/object.js';
import { builtinResources, type ResourceInfo } from '../../../api/resources.js';
import { keyOf, type Informer } from '../../../client/index.js';
import type { ControllerContext } from '../controller-context.js';
import { byOwnerUid, byUid, ensureOwnerUidIndex, ensureUidIndex } from '../index-funcs.js';
import { QueueController } from '../queue-controller.js';
import { OwnerLookup, resourceId } from './owner-lookup.js';

export const orphanFinalizer = 'orphan';
export const foregroundFinalizer = 'foregroundDeletion';

/** How often an owner waiting for its dependents is looked at again without any event, in ms. */
const foregroundRecheckMs = 2000;

/** The resources whose objects can own or be owned (all built-ins but Events). */
export function monitoredResources(): ResourceInfo[] {
  return builtinResources.filter((r) => r.plural !== 'events');
}

type DeletePolicy = 'Background' | 'Foreground' | 'Orphan';

export class GarbageCollector extends QueueController {
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private readonly resources = new Map<string, ResourceInfo>();
  private readonly owners: OwnerLookup;

  constructor(ctx: ControllerContext) {
    super('garbagecollector', ctx);
    for (const r of monitoredResources()) {
      const informer = ctx.informers.forResource<KubeObject>(r);
      ensureOwnerUidIndex(informer);
      ensureUidIndex(informer);
      const id = resourceId(r);
      this.informers.set(id, informer);
      this.resources.set(id, r);
      informer.addEventHandler({
        onAdd: (obj) => this.observe(id, obj),
        onUpdate: (old, obj) => {
          if (old.metadata.resourceVersion === obj.metadata.resourceVersion) return;
          this.observe(id, obj);
          // A dependent that dropped or changed its references may unblock an owner waiting for it.
          for (const ref of old.metadata.ownerReferences ?? []) this.enqueueOwnerByUid(ref.uid);
        },
        onDelete: (obj) => {
          for (const dep of this.dependentsOf(obj.metadata.uid ?? '')) this.queue.add(dep.item);
          for (const ref of obj.metadata.ownerReferences ?? []) this.enqueueOwnerByUid(ref.uid);
        },
      });
    }
    this.owners = new OwnerLookup(ctx.client, this.informers);
  }

  private observe(id: string, obj: KubeObject): void {
    const finalizers = obj.metadata.finalizers ?? [];
    const deleting = obj.metadata.deletionTimestamp !== undefined;
    if ((obj.metadata.ownerReferences ?? []).length > 0 || (deleting && (finalizers.includes(orphanFinalizer) || finalizers.includes(foregroundFinalizer)))) {
      this.queue.add(itemOf(id, obj));
    }
    // An owner entering foreground deletion: its dependents must now be handled.
    if (deleting && finalizers.includes(foregroundFinalizer)) for (const dep of this.dependentsOf(obj.metadata.uid ?? '')) this.queue.add(dep.item);
  }

  private enqueueOwnerByUid(uid: string): void {
    for (const [id, informer] of this.informers) {
      for (const owner of informer.byIndex(byUid, uid)) {
        if (owner.metadata.deletionTimestamp) this.queue.add(itemOf(id, owner));
      }
    }
  }

  /** Every cached object with an owner reference to `uid`. */
  private dependentsOf(uid: string): Array<{ item: string; id: string; obj: KubeObject }> {
    if (!uid) return [];
    const out: Array<{ item: string; id: string; obj: KubeObject }> = [];
    for (const [id, informer] of this.informers) {
      for (const obj of informer.byIndex(byOwnerUid, uid)) out.push({ item: itemOf(id, obj), id, obj });
    }
    return out;
  }

  async reconcile(item: string): Promise<void> {
    const bar = item.indexOf('|');
    const id = item.slice(0, bar);
    const obj = this.informers.get(id)?.get(item.slice(bar + 1));
    const r = this.resources.get(id);
    if (!obj || !r) return;
    const finalizers = obj.metadata.finalizers ?? [];
    if (obj.metadata.deletionTimestamp) {
      if (finalizers.includes(orphanFinalizer)) await this.orphanDependents(r, obj);
      else if (finalizers.includes(foregroundFinalizer)) await this.deleteDependentsFirst(r, obj, item);
      return;
    }
    if ((obj.metadata.ownerReferences ?? []).length > 0) await this.attemptToDelete(r, obj);
  }

  /** Deletes `obj` if none of its owners is still there (upstream's attemptToDeleteItem). */
  private async attemptToDelete(r: ResourceInfo, obj: KubeObject): Promise<void> {
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of obj.metadata.ownerReferences ?? []) {
      const owner = await this.owners.resolve(ref, obj.metadata.namespace);
      if (owner.state === 'absent') dangling.push(ref);
      else if (owner.state === 'present' && owner.owner.metadata.deletionTimestamp && (owner.owner.metadata.finalizers ?? []).includes(foregroundFinalizer)) waiting.push(ref);
      else solid.push(ref);
    }
    if (solid.length > 0) {
      // Still owned: only drop the references to owners that are gone or waiting on their dependents.
      const drop = new Set([...dangling, ...waiting].map((ref) => ref.uid));
      if (drop.size === 0) return;
      await this.patchOwners(r, obj, (obj.metadata.ownerReferences ?? []).filter((ref) => !drop.has(ref.uid)));
      return;
    }
    const finalizers = obj.metadata.finalizers ?? [];
    let policy: DeletePolicy = 'Background';
    if (waiting.length > 0 && this.dependentsOf(obj.metadata.uid ?? '').length > 0) policy = 'Foreground';
    else if (finalizers.includes(orphanFinalizer)) policy = 'Orphan';
    else if (finalizers.includes(foregroundFinalizer)) policy = 'Foreground';
    this.log.info({ object: `${r.plural}/${keyOf(obj)}`, policy, owners: [...dangling, ...waiting].map((o) => `${o.kind}/${o.name}`) }, 'deleting object whose owners are gone');
    try {
      await this.ctx.client.delete(r, obj.metadata.name ?? '', { namespace: obj.metadata.namespace, propagationPolicy: policy, preconditions: { uid: obj.metadata.uid } });
    } catch (err) {
      // Gone already, or replaced by a namesake (uid precondition): nothing of ours to delete.
      if (err instanceof NotFoundError || err instanceof ConflictError) return;
      throw err;
    }
  }

  /** Removes the owner's references from every dependent, then the `orphan` finalizer. */
  private async orphanDependents(r: ResourceInfo, owner: KubeObject): Promise<void> {
    const uid = owner.metadata.uid ?? '';
    for (const dep of this.dependentsOf(uid)) {
      const depResource = this.resources.get(dep.id);
      if (!depResource) continue;
      await this.patchOwners(depResource, dep.obj, (dep.obj.metadata.ownerReferences ?? []).filter((ref) => ref.uid !== uid));
    }
    this.log.info({ object: `${r.plural}/${keyOf(owner)}` }, 'orphaned dependents; removing the orphan finalizer');
    await this.removeFinalizer(r, owner, orphanFinalizer);
  }

  /** Foreground deletion: dependents go first; the finalizer goes once no blocking dependent is left. */
  private async deleteDependentsFirst(r: ResourceInfo, owner: KubeObject, item: string): Promise<void> {
    const uid = owner.metadata.uid ?? '';
    const deps = this.dependentsOf(uid);
    for (const dep of deps) {
      const depResource = this.resources.get(dep.id);
      if (depResource && !dep.obj.metadata.deletionTimestamp) await this.attemptToDelete(depResource, dep.obj);
    }
    const blocking = deps.filter((dep) => (dep.obj.metadata.ownerReferences ?? []).some((ref) => ref.uid === uid && ref.blockOwnerDeletion === true));
    if (blocking.length > 0) {
      this.queue.addAfter(item, foregroundRecheckMs);
      return;
    }
    this.log.info({ object: `${r.plural}/${keyOf(owner)}` }, 'dependents deleted; removing the foregroundDeletion finalizer');
    await this.removeFinalizer(r, owner, foregroundFinalizer);
  }

  private async patchOwners(r: ResourceInfo, obj: KubeObject, owners: OwnerReference[]): Promise<void> {
    try {
      await this.ctx.client.patch(r, obj.metadata.name ?? '', { metadata: { ownerReferences: owners, resourceVersion: obj.metadata.resourceVersion } }, { namespace: obj.metadata.namespace });
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  }

  private async removeFinalizer(r: ResourceInfo, obj: KubeObject, finalizer: string): Promise<void> {
    const finalizers = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    try {
      await this.ctx.client.patch(r, obj.metadata.name ?? '', { metadata: { finalizers, resourceVersion: obj.metadata.resourceVersion } }, { namespace: obj.metadata.namespace });
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  }
}

function itemOf(id: string, obj: KubeObject): string {
  return `${id}|${keyOf(obj)}`;
}
