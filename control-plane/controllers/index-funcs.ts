// Secondary indexes the controllers add to shared informers. Several controllers may ask for the same
// index on the same shared informer, so adding is idempotent here (the cache itself refuses duplicates).
// The names carry this room's prefix so another in-process component (the scheduler) sharing the
// informer can add its own indexes under plain names without either side tripping over the other.
import { namespaceIndex, nodeNameIndex, type Informer } from '../../client/index.js';
import type { KubeObject } from '../../api/object.js';

export const byNamespace = 'controllers/namespace';
export const byOwnerUid = 'controllers/ownerUid';
export const byUid = 'controllers/uid';
export const byNodeName = 'controllers/nodeName';

const added = new WeakMap<object, Set<string>>();

function ensureIndex<T extends KubeObject>(informer: Informer<T>, name: string, fn: (obj: T) => string[]): void {
  const names = added.get(informer) ?? new Set<string>();
  added.set(informer, names);
  if (names.has(name)) return;
  informer.addIndex(name, fn);
  names.add(name);
}

/** Objects by namespace, so reconcilers read one namespace's pods without scanning the whole cache. */
export function ensureNamespaceIndex<T extends KubeObject>(informer: Informer<T>): void {
  ensureIndex(informer, byNamespace, namespaceIndex as (obj: T) => string[]);
}

/** Objects by the uid of every owner they reference (the garbage collector's dependents lookup). */
export function ensureOwnerUidIndex<T extends KubeObject>(informer: Informer<T>): void {
  ensureIndex(informer, byOwnerUid, (obj) => (obj.metadata.ownerReferences ?? []).map((r) => r.uid));
}

/** Objects by their own uid. */
export function ensureUidIndex<T extends KubeObject>(informer: Informer<T>): void {
  ensureIndex(informer, byUid, (obj) => (obj.metadata.uid ? [obj.metadata.uid] : []));
}

/** Pods by the node they are bound to. */
export function ensureNodeNameIndex<T extends KubeObject>(informer: Informer<T>): void {
  ensureIndex(informer, byNodeName, nodeNameIndex as (obj: T) => string[]);
}
