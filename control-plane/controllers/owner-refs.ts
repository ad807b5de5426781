// Owner references as controllers use them (upstream's metav1.GetControllerOf / NewControllerRef).
import type { KubeObject, OwnerReference } from '../../api/object.js';

/** The ownerReference with controller=true, if any. */
export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return (obj.metadata.ownerReferences ?? []).find((r) => r.controller === true);
}

/** A controller reference to `owner`: controller=true and blockOwnerDeletion=true, as upstream's controllers set. */
export function controllerRef(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** Whether `obj`'s controller is exactly `owner` (kind and uid). */
export function isControlledBy(obj: KubeObject, owner: KubeObject, kind: string): boolean {
  const ref = controllerOf(obj);
  return ref !== undefined && ref.kind === kind && ref.uid === owner.metadata.uid;
}

/** The owner references without those pointing at `uid`. */
export function withoutOwner(obj: KubeObject, uid: string): OwnerReference[] {
  return (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
}
