// Pods made from a workload's template (upstream's GetPodFromTemplate) and the slow-start batching upstream
// uses to create many of them without flooding the API server when every create would fail the same way.
import type { OwnerReference } from '../../api/object.js';
import type { Pod, PodTemplateSpec } from '../../api/index.js';

export function podFromTemplate(template: PodTemplateSpec | undefined, namespace: string, generateName: string, owner: OwnerReference): Pod {
  const meta = template?.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName,
      namespace,
      labels: { ...(meta.labels ?? {}) },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [owner],
    },
    spec: structuredClone(template?.spec ?? { containers: [] }),
  };
}

/**
 * Calls `fn` `count` times in batches of 1, 2, 4, ... (upstream's slowStartBatch), stopping after the
 * first batch with an error. Answers how many calls succeeded and the first error.
 */
export async function slowStartBatch(count: number, fn: () => Promise<void>): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, 1); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += results.filter((r) => r.status === 'fulfilled').length;
    if (failed) return { successes, error: failed.reason };
    remaining -= batch;
  }
  return { successes };
}
