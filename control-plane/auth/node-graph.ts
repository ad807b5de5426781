// What the node authorizer needs to know about pods, behind a small interface: tests use a fake, the server
// reads its store. Upstream keeps an in-memory graph fed by informers; Skiff reads the store on demand, which
// is one get (pod status, delete) or one namespace list (secret/configmap get) per node request.
import { findResource, storageKey, storagePrefix } from '../../api/resources.js';
import type { Pod } from '../../api/types/pod.js';
import type { Store } from '../storage/store.js';
import { podReferences, type ReferencedKind } from './pod-references.js';

export interface NodeGraph {
  /** The pod's spec.nodeName ('' when unscheduled), or undefined when the pod does not exist. */
  podNodeName(namespace: string, name: string): Promise<string | undefined>;
  /** Whether a pod bound to `nodeName` in `namespace` references the Secret/ConfigMap `name`. */
  nodeReferences(nodeName: string, kind: ReferencedKind, namespace: string, name: string): Promise<boolean>;
}

/** A NodeGraph over the store's core/v1 pods. */
export function storeNodeGraph(store: Store): NodeGraph {
  const pods = findResource('', 'v1', 'pods');
  if (!pods) throw new Error('the resource registry has no core/v1 pods');
  return {
    async podNodeName(namespace, name) {
      const stored = await store.get<Pod>(storageKey(pods, namespace, name));
      return stored ? (stored.object.spec?.nodeName ?? '') : undefined;
    },
    async nodeReferences(nodeName, kind, namespace, name) {
      const list = await store.list<Pod>(storagePrefix(pods, namespace));
      return list.items.some((p) => p.object.spec?.nodeName === nodeName && podReferences(p.object, kind).has(name));
    },
  };
}
