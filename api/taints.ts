// Taint/toleration matching (upstream's Toleration.ToleratesTaint and helpers), shared by the
// scheduler's TaintToleration filter, the DaemonSet controller and node-lifecycle eviction.
import type { Taint } from './types/node.js';
import type { TaintEffect, Toleration } from './types/scheduling.js';

/** True when the toleration tolerates the taint: matching effect (empty tolerates all), key (empty with Exists tolerates all) and value. */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? 'Equal') {
    case 'Exists':
      return true;
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}

/** True when some toleration in the list tolerates the taint. */
export function taintToleratedBy(taint: Taint, tolerations: readonly Toleration[] | undefined): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

/**
 * The first taint, among those with one of `effects`, that no toleration tolerates; undefined when
 * all are tolerated. The scheduler passes NoSchedule and NoExecute; eviction passes NoExecute.
 */
export function findUntoleratedTaint(
  taints: readonly Taint[] | undefined,
  tolerations: readonly Toleration[] | undefined,
  effects: readonly TaintEffect[] = ['NoSchedule', 'NoExecute'],
): Taint | undefined {
  return (taints ?? []).find((t) => effects.includes(t.effect) && !taintToleratedBy(t, tolerations));
}
