// Whether a pod update may change its scheduling outcome (upstream's isPodUpdated): anything but status
// and bookkeeping metadata. The scheduler's own PodScheduled=False write must not wake the pod again.
import type { Pod } from '../../api/types/pod.js';

function strip(pod: Pod): unknown {
  const { resourceVersion: _rv, managedFields: _mf, generation: _g, ...meta } = pod.metadata;
  return { ...pod, metadata: meta, status: undefined };
}

export function podSchedulingPropertiesChanged(old: Pod, pod: Pod): boolean {
  return JSON.stringify(strip(old)) !== JSON.stringify(strip(pod));
}
