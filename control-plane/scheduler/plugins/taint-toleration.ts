// TaintToleration: the filter rejects nodes with a NoSchedule or NoExecute taint the pod does not
// tolerate; the score prefers nodes with fewer untolerated PreferNoSchedule taints (upstream weight 3).
import { findUntoleratedTaint, taintToleratedBy } from '../../../api/taints.js';
import type { FilterPlugin, ScorePlugin } from '../framework.js';
import { defaultNormalizeScore, unschedulable } from '../framework.js';

/** Upstream's message: `node(s) had untolerated taint {key: value}`. */
export function errReasonUntoleratedTaint(key: string, value: string | undefined): string {
  return `node(s) had untolerated taint {${key}: ${value ?? ''}}`;
}

export const taintTolerationFilter: FilterPlugin = {
  name: 'TaintToleration',
  filter(_state, pod, node) {
    const taint = findUntoleratedTaint(node.node.spec?.taints, pod.spec?.tolerations);
    if (!taint) return undefined;
    return unschedulable('TaintToleration', 'UnschedulableAndUnresolvable', errReasonUntoleratedTaint(taint.key, taint.value));
  },
};

export const taintTolerationScore: ScorePlugin = {
  name: 'TaintToleration',
  weight: 3,
  score(_state, pod, node) {
    // Upstream only counts tolerations that could apply to PreferNoSchedule (effect empty or that).
    const tolerations = (pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    let count = 0;
    for (const t of node.node.spec?.taints ?? []) {
      if (t.effect === 'PreferNoSchedule' && !taintToleratedBy(t, tolerations)) count++;
    }
    return count;
  },
  normalize(_state, _pod, scores) {
    defaultNormalizeScore(scores, true);
  },
};
