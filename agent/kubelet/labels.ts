// The labels the kubelet puts on every sandbox and container, as upstream's kuberuntime does, so that the
// runtime alone tells which pod (uid) and which container an object belongs to: that is what adoption after
// a restart, the PLEG and orphan cleanup rely on.
import type { Pod } from '../../api/index.js';

export const podUidLabel = 'io.kubernetes.pod.uid';
export const podNameLabel = 'io.kubernetes.pod.name';
export const podNamespaceLabel = 'io.kubernetes.pod.namespace';
export const containerNameLabel = 'io.kubernetes.container.name';
/** Marks an object as made by a Skiff kubelet (any node). */
export const managedByLabel = 'io.skiff.kubelet';
/**
 * The node whose kubelet made the object. Upstream assumes one kubelet per runtime; Skiff's tests run
 * several agents on one Docker engine, so each relists, adopts and cleans up only its own node's objects.
 */
export const nodeLabel = 'io.skiff.node';

/** Labels of a pod's sandbox: the pod's own labels plus the kubelet's. */
export function sandboxLabels(pod: Pod): Record<string, string> {
  return { ...(pod.metadata.labels ?? {}), ...podIdentityLabels(pod) };
}

/** Labels identifying the pod (on sandboxes and containers alike). */
export function podIdentityLabels(pod: Pod): Record<string, string> {
  return {
    [podUidLabel]: pod.metadata.uid ?? '',
    [podNameLabel]: pod.metadata.name ?? '',
    [podNamespaceLabel]: pod.metadata.namespace ?? '',
    [managedByLabel]: 'true',
    [nodeLabel]: pod.spec?.nodeName ?? '',
  };
}

/** Labels of one container of the pod. */
export function containerLabels(pod: Pod, containerName: string): Record<string, string> {
  return { ...podIdentityLabels(pod), [containerNameLabel]: containerName };
}

/** `namespace/name`, as logs and keys name a pod. */
export function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

/** Upstream's `format.Pod`: `name_namespace(uid)`. */
export function formatPod(pod: Pod): string {
  return `${pod.metadata.name ?? ''}_${pod.metadata.namespace ?? ''}(${pod.metadata.uid ?? ''})`;
}
