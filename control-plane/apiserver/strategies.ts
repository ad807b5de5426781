// Per-kind rules upstream keeps in each resource's strategy (PrepareForCreate / PrepareForUpdate):
// which objects start with a fresh status, and what namespaces get on creation.
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import { isRecord } from './body.js';

/** Kinds whose status a client cannot set at creation: the controllers or kubelet own it. */
const freshStatusOnCreate: Record<string, () => Record<string, unknown>> = {
  pods: () => ({ phase: 'Pending' }),
  deployments: () => ({}),
  replicasets: () => ({ replicas: 0 }),
  daemonsets: () => ({ currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 }),
  jobs: () => ({}),
  services: () => ({ loadBalancer: {} }),
  namespaces: () => ({ phase: 'Active' }),
};

/**
 * Kinds whose strategies set metadata.generation (1 on create, +1 per spec change). Kinds without a
 * spec/status split (ConfigMap, Secret, Event, Endpoints, Lease, ...) and Services, Namespaces and
 * Nodes leave it unset upstream.
 */
const generationTracked = new Set(['/pods', 'apps/replicasets', 'apps/deployments', 'apps/daemonsets', 'apps/statefulsets', 'batch/jobs', 'batch/cronjobs']);

export function tracksGeneration(r: ResourceInfo): boolean {
  return generationTracked.has(`${r.group}/${r.plural}`);
}

export function hasStatusSubresource(r: ResourceInfo): boolean {
  return r.subresources.includes('status');
}

export function prepareForCreateByKind(r: ResourceInfo, obj: KubeObject): void {
  const fresh = freshStatusOnCreate[r.plural];
  if (fresh && hasStatusSubresource(r)) obj.status = fresh();
  if (r.plural === 'namespaces' && r.group === '') {
    // Upstream's namespace strategy adds the `kubernetes` finalizer: the namespace controller removes it
    // (PUT .../finalize) once everything inside is gone.
    const spec = isRecord(obj.spec) ? obj.spec : (obj.spec = {});
    if (!Array.isArray(spec.finalizers)) spec.finalizers = ['kubernetes'];
  }
}

/** A namespace's spec.finalizers (the `finalize` subresource's list), empty for other kinds. */
export function specFinalizers(obj: KubeObject): unknown[] {
  const f = isRecord(obj.spec) ? obj.spec.finalizers : undefined;
  return Array.isArray(f) ? f : [];
}

/** True when a terminating object has nothing left holding it and can leave the store. */
export function readyToRemove(obj: KubeObject): boolean {
  const m = obj.metadata;
  if (!m.deletionTimestamp) return false;
  if ((m.finalizers ?? []).length > 0) return false;
  if (specFinalizers(obj).length > 0) return false;
  // A pod in its grace period waits for the kubelet's final delete with gracePeriodSeconds=0.
  return (m.deletionGracePeriodSeconds ?? 0) === 0;
}
