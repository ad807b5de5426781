// When a pod on a NoExecute-tainted node must go (upstream's taint-eviction controller): at once if it
// does not tolerate every NoExecute taint, never if it tolerates them all without tolerationSeconds, and
// otherwise at the earliest taint.timeAdded + tolerationSeconds over the taints it tolerates.
import type { Pod, Taint, Toleration } from '../../../api/index.js';
import { toleratesTaint } from '../../../api/index.js';
import { parseTime } from '../time.js';

export const notReadyTaintKey = 'node.kubernetes.io/not-ready';
export const unreachableTaintKey = 'node.kubernetes.io/unreachable';
/** What upstream's DefaultTolerationSeconds admission plugin gives every pod for the two taints above. */
export const defaultTolerationSeconds = 300;

/**
 * The pod's tolerations, plus upstream's default 300 s tolerations of not-ready and unreachable when it
 * has none of its own for them (what the DefaultTolerationSeconds admission plugin would have added).
 */
export function effectiveTolerations(pod: Pod, assumeDefaults: boolean): Toleration[] {
  const own = pod.spec?.tolerations ?? [];
  if (!assumeDefaults) return own;
  const out = [...own];
  for (const key of [notReadyTaintKey, unreachableTaintKey]) {
    const probe: Taint = { key, effect: 'NoExecute' };
    if (!own.some((t) => toleratesTaint(t, probe))) out.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: defaultTolerationSeconds });
  }
  return out;
}

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
