// When a pod on a NoExecute-tainted node must go (upstream's taint-eviction controller): at once if it
// does not tolerate every NoExecute taint, never if it tolerates them all without tolerationSeconds, and
// otherwise at the earliest taint.timeAdded + tolerationSeconds over the taints it tolerates.
import type { Taint, Toleration } from '../../../api/index.js';
import { toleratesTaint } from '../../../api/index.js';
import { parseTime } from '../time.js';

export const notReadyTaintKey = 'node.kubernetes.io/not-ready';
export const unreachableTaintKey = 'node.kubernetes.io/unreachable';
/** Ms since the epoch at which the pod must be evicted; undefined for never, `nowMs` or less for now. */
export function evictionTimeMs(taints: readonly Taint[], tolerations: readonly Toleration[], nowMs: number): number | undefined {
  const noExecute = taints.filter((t) => t.effect === 'NoExecute');
  if (noExecute.length === 0) return undefined;
  let at: number | undefined;
  for (const taint of noExecute) {
    const matching = tolerations.filter((t) => toleratesTaint(t, taint));
    if (matching.length === 0) return nowMs;
    // Several tolerations for one taint: the most lenient one wins; any without seconds means forever.
    if (matching.some((t) => t.tolerationSeconds === undefined || t.tolerationSeconds === null)) continue;
    const seconds = Math.max(...matching.map((t) => Math.max(0, t.tolerationSeconds ?? 0)));
    const added = parseTime(taint.timeAdded) ?? nowMs;
    const due = added + seconds * 1000;
    at = at === undefined ? due : Math.min(at, due);
  }
  return at;
}
